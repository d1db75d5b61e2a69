import CatracaCore
import CatracaJSON
import Foundation

/// The intercom's signaling, without I/O: which phones ring for a terminal's call, which side each message goes
/// to, and when a call ends. Its owner feeds it messages and disconnections, carries out the effects it returns,
/// and calls `tick` at `nextDeadline`.
///
/// A session is named by its terminal's serial number (the protocol's convention), so a terminal has at most
/// one call at a time. Rules the protocol leaves open:
/// - a `talkcall` while the terminal's previous call is still on ends that call (`replaced`);
/// - a `monitorcall` for a terminal already in a call is refused (`busy`);
/// - the terminal's `offer` and candidates sent before a phone accepted are held and given to the phone that
///   accepts;
/// - a phone already talking on another call is not rung;
/// - `callcancel` from a phone still ringing refuses the call for that phone only; the call ends as `refused`
///   when no phone is left ringing (the terminal gets `callaccept` with `result` false);
/// - a message naming a session that does not exist, or a session that is not the sender's, is refused with
///   the same reason, so that a phone cannot probe which terminals are in a call.
///
/// Not thread-safe: used on the event loop only.
public final class IntercomSwitchboard {
    /// The message names that belong to the intercom; a terminal's other messages are not the switchboard's.
    public static let messageNames: Set<String> = [
        "talkcall", "talkring", "callaccept", "offer", "answer", "icecandidate", "viewready", "callcancel",
        "monitorcall",
    ]

    public var settings: IntercomSettings
    let timeSource: TimeSource
    let logger: Logger
    /// Phone connections that proved who they are.
    var phones: [UInt64: PhoneIdentity] = [:]
    /// Terminals registered on an open connection.
    var terminals: Set<String> = []
    /// Calls in progress by session id.
    var calls: [String: IntercomCall] = [:]

    public init(settings: IntercomSettings, timeSource: TimeSource, logger: Logger) {
        self.settings = settings
        self.timeSource = timeSource
        self.logger = logger
    }

    /// The identity a phone connection proved, if any.
    public func identity(ofConnection connection: UInt64) -> PhoneIdentity? {
        phones[connection]
    }

    /// Calls in progress.
    public var callCount: Int { calls.count }

    /// When `tick` must be called next: the earliest ring timeout.
    public var nextDeadline: Instant? {
        calls.values.compactMap(\.ringDeadline).min()
    }

    // MARK: Terminals

    /// A terminal registered on an open connection: it can be watched and its calls can ring.
    public func terminalConnected(sn: String) {
        terminals.insert(sn)
    }

    /// A terminal's connection is gone: its call, if any, ends for the phones.
    public func terminalDisconnected(sn: String) -> [IntercomEffect] {
        terminals.remove(sn)
        guard let call = calls[sn] else { return [] }
        var effects = cancelPhones(of: call)
        effects += end(sn, .terminalDropped)
        return effects
    }

    /// Handles a terminal's message; nil when it is not an intercom message (it belongs to the command queue).
    /// A terminal's replies to what the switchboard relayed (`"ret":"answer"` and the like) are taken and
    /// dropped.
    public func terminalMessage(sn: String, name: String, isReply: Bool, body: JSONObject) -> [IntercomEffect]? {
        guard IntercomSwitchboard.messageNames.contains(name) else { return nil }
        if isReply {
            logger.trace("terminal's reply to a relayed intercom message", ["sn": sn, "ret": name])
            return []
        }
        if name == "talkcall" { return talkcall(sn: sn, body: body) }
        if let sessionID = IntercomMessages.sessionID(of: body), sessionID != sn {
            return refuseTerminal(sn: sn, name, sessionID: sessionID, "session \(sessionID) is not this terminal's")
        }
        guard calls[sn] != nil else {
            return refuseTerminal(sn: sn, name, sessionID: sn, "no call in progress for session \(sn)")
        }
        switch name {
        case "callcancel":
            return terminalCancelled(sn: sn)
        case "offer", "answer", "icecandidate", "viewready":
            if let problem = signalProblem(name, body) { return refuseTerminal(sn: sn, name, sessionID: sn, problem) }
            return relayFromTerminal(sn: sn, name: name, body: body)
        default:
            return refuseTerminal(sn: sn, name, sessionID: sn, "\(name) is not sent by a terminal")
        }
    }

    private func talkcall(sn: String, body: JSONObject) -> [IntercomEffect] {
        let calltype = body["calltype"] ?? .integer(0)
        guard let mode = (body["inputmode"] ?? .integer(0)).int, (0...3).contains(mode) else {
            return refuseTerminal(sn: sn, "talkcall", sessionID: nil, "inputmode must be 0, 1, 2 or 3")
        }
        let number = body["inputnum"]?.string?.trimmingCharacters(in: .whitespaces) ?? ""
        var effects: [IntercomEffect] = []
        if let previous = calls[sn] {
            effects += cancelPhones(of: previous)
            effects += end(sn, .replaced)
        }
        let targets = ringTargets(mode: mode, number: number)
        var call = IntercomCall(kind: .intercom, sn: sn, calltype: calltype, inputMode: mode, inputNumber: number,
                                startedAt: timeSource.now, startedWall: timeSource.wallClock)
        guard !targets.isEmpty else {
            calls[sn] = call
            effects.append(.send(.terminal(sn: sn), IntercomMessages.refusal(
                "talkcall", sessionID: nil, reason: "no phone for \(IntercomSwitchboard.modeNames[mode])"
                    + (number.isEmpty ? "" : " \(number)") + " is connected")))
            effects += end(sn, .noPhone)
            return effects
        }

        let first = targets[0].identity
        let enrollid = mode == 1 ? Int64(number) : first.enrollid
        effects.append(.send(.terminal(sn: sn), [
            "ret": "talkcall", "result": true, "sessionid": .string(sn),
            "enrollid": .number(JSONNumber(enrollid ?? 0)), "username": .string(first.name ?? first.phonenum),
            "calltype": calltype,
        ]))
        for target in targets {
            call.ringing.append(target.connection)
            if !call.rang.contains(target.identity.phonenum) { call.rang.append(target.identity.phonenum) }
            effects.append(.send(.phone(connection: target.connection),
                                 IntercomMessages.talkring(sn: sn, message: "Call from \(sn)", calltype: calltype)))
        }
        call.ringDeadline = timeSource.now + settings.ringTimeout
        calls[sn] = call
        logger.info("intercom call ringing", [
            "sn": sn, "inputmode": "\(mode)", "inputnum": number, "phones": call.rang.joined(separator: ","),
        ])
        return effects
    }

    static let modeNames = ["the default number", "enrollid", "phone number", "apartment"]

    /// The registered phones (not browsers) that `inputmode`/`inputnum` names and that are not in another call.
    private func ringTargets(mode: Int, number: String) -> [(connection: UInt64, identity: PhoneIdentity)] {
        let busy = Set(calls.values.compactMap(\.peer))
        return phones.sorted { $0.key < $1.key }.filter { connection, identity in
            guard identity.kind == .phone, !busy.contains(connection) else { return false }
            switch mode {
            case 0: return settings.defaultPhones.contains(identity.phonenum)
            case 1: return identity.enrollid != nil && identity.enrollid == Int64(number)
            case 2: return identity.phonenum == number
            default: return identity.apartment != nil && identity.apartment == number
            }
        }.map { (connection: $0.key, identity: $0.value) }
    }

    private func terminalCancelled(sn: String) -> [IntercomEffect] {
        guard let call = calls[sn] else { return [] }
        var effects = cancelPhones(of: call)
        effects += end(sn, call.peer == nil ? .cancelledByTerminal : .hungUpByTerminal)
        return effects
    }

    private func relayFromTerminal(sn: String, name: String, body: JSONObject) -> [IntercomEffect] {
        guard var call = calls[sn] else { return [] }
        if let peer = call.peer { return [.send(.phone(connection: peer), body)] }
        guard call.held.count < IntercomCall.maxHeld else {
            logger.warning("terminal's signaling dropped: too much before any phone accepted",
                           ["sn": sn, "cmd": name])
            return []
        }
        call.held.append(body)
        calls[sn] = call
        return []
    }

    func refuseTerminal(sn: String, _ name: String, sessionID: String?, _ reason: String) -> [IntercomEffect] {
        logger.info("terminal's intercom message refused", ["sn": sn, "cmd": name, "reason": reason])
        return [.send(.terminal(sn: sn), IntercomMessages.refusal(name, sessionID: sessionID, reason: reason))]
    }

    /// Why a relayed WebRTC message is malformed, or nil.
    func signalProblem(_ name: String, _ body: JSONObject) -> String? {
        switch name {
        case "offer": return SignalCheck.sdpProblem(body, expectedType: "offer")
        case "answer": return SignalCheck.sdpProblem(body, expectedType: "answer")
        case "icecandidate": return SignalCheck.candidateProblem(body)
        default: return nil
        }
    }

    // MARK: Timers and ending

    /// Cancels, on both sides, the calls nobody answered in time.
    public func tick() -> [IntercomEffect] {
        let now = timeSource.now
        var effects: [IntercomEffect] = []
        for (sessionID, call) in calls.sorted(by: { $0.key < $1.key }) {
            guard let deadline = call.ringDeadline, deadline <= now else { continue }
            effects += cancelPhones(of: call)
            effects.append(.send(.terminal(sn: call.sn),
                                 IntercomMessages.callcancel(sessionID: sessionID, calltype: call.calltype)))
            effects += end(sessionID, .unanswered)
        }
        return effects
    }

    /// Ends every call, telling both sides (the daemon is stopping).
    public func endAll() -> [IntercomEffect] {
        var effects: [IntercomEffect] = []
        for (sessionID, call) in calls.sorted(by: { $0.key < $1.key }) {
            effects += cancelPhones(of: call)
            if terminals.contains(call.sn) {
                effects.append(.send(.terminal(sn: call.sn),
                                     IntercomMessages.callcancel(sessionID: sessionID, calltype: call.calltype)))
            }
            effects += end(sessionID, .shutdown)
        }
        return effects
    }

    /// `callcancel` to every phone of the call: those ringing and the one connected.
    func cancelPhones(of call: IntercomCall) -> [IntercomEffect] {
        let cancel = IntercomMessages.callcancel(sessionID: call.sessionID, calltype: call.calltype)
        let connections = call.ringing + (call.peer.map { [$0] } ?? [])
        return connections.filter { phones[$0] != nil }.map { .send(.phone(connection: $0), cancel) }
    }

    func end(_ sessionID: String, _ ending: CallSummary.Ending) -> [IntercomEffect] {
        guard let call = calls.removeValue(forKey: sessionID) else { return [] }
        let summary = call.summary(ending: ending, now: timeSource.now, wall: timeSource.wallClock)
        logger.info("intercom call ended", [
            "sn": call.sn, "kind": call.kind.rawValue, "ending": ending.rawValue,
            "answered_by": call.peerName ?? "-", "seconds": String(format: "%.1f", summary.durationSeconds),
        ])
        return [.ended(summary)]
    }
}
