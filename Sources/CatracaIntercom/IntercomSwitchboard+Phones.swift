import CatracaCore
import CatracaJSON
import Foundation

extension IntercomSwitchboard {
    /// Handles one text message from a phone or browser connection.
    public func phoneMessage(connection: UInt64, text: [UInt8]) -> [IntercomEffect] {
        guard let body = (try? JSONReader().parse(text))?.object else {
            logger.info("phone message dropped: not a JSON object", ["connection": "\(connection)"])
            return []
        }
        if let name = body["ret"]?.string, body["cmd"] == nil {
            logger.trace("phone's reply dropped", ["connection": "\(connection)", "ret": name])
            return []
        }
        guard let name = body["cmd"]?.string, !name.isEmpty else {
            logger.info("phone message dropped: no \"cmd\"", ["connection": "\(connection)"])
            return []
        }
        if name == "phonereg" { return phonereg(connection: connection, body: body) }
        guard let identity = phones[connection] else {
            return refusePhone(connection, name, sessionID: nil, "register with phonereg first")
        }
        switch name {
        case "monitorcall":
            return monitorcall(connection: connection, identity: identity, body: body)
        case "callaccept", "callcancel", "offer", "answer", "icecandidate", "viewready":
            return phoneSignal(connection: connection, name: name, body: body)
        default:
            return refusePhone(connection, name, sessionID: nil, "\(name) is not a phone's intercom command")
        }
    }

    /// A phone's connection is gone: its call ends for the terminal, or it stops ringing.
    public func phoneDisconnected(connection: UInt64) -> [IntercomEffect] {
        // Calls are scanned even for a connection without an identity: one that registered again and failed
        // lost its identity but may still be in a call.
        phones[connection] = nil
        var effects: [IntercomEffect] = []
        for (sessionID, var call) in calls.sorted(by: { $0.key < $1.key }) {
            if call.peer == connection {
                effects.append(.send(.terminal(sn: call.sn), IntercomMessages.callcancel(
                    sessionID: sessionID, calltype: call.calltype)))
                effects += end(sessionID, .phoneDropped)
            } else if call.ringing.contains(connection) {
                call.ringing.removeAll { $0 == connection }
                calls[sessionID] = call
                if call.ringing.isEmpty && call.peer == nil {
                    effects.append(.send(.terminal(sn: call.sn), IntercomMessages.callcancel(
                        sessionID: sessionID, calltype: call.calltype)))
                    effects += end(sessionID, .phoneDropped)
                }
            }
        }
        return effects
    }

    // MARK: Registration

    /// Phone numbers and extensions are short; a longer one is refused before it is logged or echoed.
    static let longestPhoneNumber = 32

    private func phonereg(connection: UInt64, body: JSONObject) -> [IntercomEffect] {
        phones[connection] = nil
        let identity: PhoneIdentity
        switch provenIdentity(connection: connection, body: body) {
        case .success(let proven):
            identity = proven
        case .failure(let refusal):
            logger.warning("phone registration refused", [
                "connection": "\(connection)", "phonenum": String((body["phonenum"]?.string ?? "-").prefix(40)),
                "reason": refusal.reason,
            ])
            return [.send(.phone(connection: connection),
                          IntercomMessages.refusal("phonereg", sessionID: nil, reason: refusal.reason)),
                    .close(connection: connection, reason: "phonereg refused")]
        }
        phones[connection] = identity
        logger.info("phone registered", [
            "connection": "\(connection)", "phonenum": identity.phonenum, "kind": identity.kind.rawValue,
        ])
        var reply: JSONObject = ["ret": "phonereg", "result": true]
        for member in settings.ice.fields(for: identity.phonenum, now: timeSource.wallClock) {
            reply.append(key: member.key, value: member.value)
        }
        return [.send(.phone(connection: connection), reply)]
    }

    struct Refusal: Error {
        var reason: String
    }

    /// A phone proves itself with its number and secret; a browser with the API token.
    private func provenIdentity(connection: UInt64, body: JSONObject) -> Result<PhoneIdentity, Refusal> {
        if let token = body["token"]?.string {
            guard let expected = settings.browserToken, IntercomSwitchboard.sameSecret(token, expected) else {
                return .failure(Refusal(reason: "the token is not the API token"))
            }
            return .success(PhoneIdentity(kind: .browser, phonenum: "browser-\(connection)"))
        }
        guard let phonenum = body["phonenum"]?.string?.trimmingCharacters(in: .whitespaces), !phonenum.isEmpty else {
            return .failure(Refusal(reason: "phonenum is required (or token, for a browser)"))
        }
        // Anyone on the LAN can send this before proving anything: what is echoed in replies and logs stays short.
        guard phonenum.utf8.count <= IntercomSwitchboard.longestPhoneNumber,
              phonenum.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else {
            return .failure(Refusal(reason: "phonenum must be 1-\(IntercomSwitchboard.longestPhoneNumber) printable "
                                    + "ASCII characters without spaces"))
        }
        // The same answer for an unknown phone and a wrong secret: the port does not tell which numbers exist.
        let denied = Refusal(reason: "phone \(phonenum) is unknown or its secret is wrong")
        guard let phone = settings.phones[phonenum], let secret = body["secret"]?.string,
              IntercomSwitchboard.sameSecret(secret, phone.secret) else { return .failure(denied) }
        let claimed = body["enrollid"].flatMap { $0.isNull ? nil : $0.int64 }
        if let configured = phone.enrollid, let claimed, claimed != configured {
            return .failure(Refusal(reason: "enrollid \(claimed) is not phone \(phonenum)'s (the site config says "
                                        + "\(configured))"))
        }
        return .success(PhoneIdentity(kind: .phone, phonenum: phonenum, enrollid: phone.enrollid ?? claimed,
                                      apartment: phone.apartment, name: phone.name))
    }

    /// Compares in time that does not depend on where the texts differ.
    static func sameSecret(_ given: String, _ expected: String) -> Bool {
        let left = Array(given.utf8)
        let right = Array(expected.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<right.count {
            difference |= (index < left.count ? left[index] : 0) ^ right[index]
        }
        return difference == 0
    }

    // MARK: Monitoring

    private func monitorcall(connection: UInt64, identity: PhoneIdentity, body: JSONObject) -> [IntercomEffect] {
        let calltype = body["calltype"] ?? .integer(0)
        guard let sn = (body["sn"] ?? body["sessionid"])?.string?.trimmingCharacters(in: .whitespaces),
              !sn.isEmpty else {
            return refusePhone(connection, "monitorcall", sessionID: nil, "sn is required (the terminal to watch)")
        }
        guard terminals.contains(sn) else {
            return refusePhone(connection, "monitorcall", sessionID: sn, "terminal \(sn) is not connected")
        }
        guard calls[sn] == nil else {
            return refusePhone(connection, "monitorcall", sessionID: sn, "terminal \(sn) is busy in another call")
        }
        let now = timeSource.now
        let wall = timeSource.wallClock
        calls[sn] = IntercomCall(kind: .monitor, sn: sn, calltype: calltype, peer: connection,
                                 peerName: identity.phonenum, startedAt: now, startedWall: wall, answeredAt: now,
                                 answeredWall: wall)
        logger.info("terminal watched", ["sn": sn, "by": identity.phonenum])
        return [
            .send(.phone(connection: connection), ["ret": "monitorcall", "result": true, "sessionid": .string(sn),
                                                   "calltype": calltype]),
            .send(.terminal(sn: sn), IntercomMessages.monitorcall(sessionID: sn, calltype: calltype)),
        ]
    }

    // MARK: Calls

    private func phoneSignal(connection: UInt64, name: String, body: JSONObject) -> [IntercomEffect] {
        let notYours = "no call of yours has session \(IntercomMessages.sessionID(of: body) ?? "(none)")"
        guard let sessionID = IntercomMessages.sessionID(of: body), let call = calls[sessionID] else {
            return refusePhone(connection, name, sessionID: nil, notYours)
        }
        if call.peer == nil, call.ringing.contains(connection) {
            switch name {
            case "callaccept": return accepted(sessionID, by: connection, accepts: body["result"]?.bool ?? true)
            case "callcancel": return accepted(sessionID, by: connection, accepts: false)
            default: return refusePhone(connection, name, sessionID: sessionID, "accept the call first")
            }
        }
        guard call.peer == connection else { return refusePhone(connection, name, sessionID: nil, notYours) }
        switch name {
        case "callcancel":
            var effects: [IntercomEffect] = [.send(.terminal(sn: call.sn), IntercomMessages.callcancel(
                sessionID: sessionID, calltype: call.calltype))]
            effects += end(sessionID, .hungUpByPhone)
            return effects
        case "callaccept":
            return refusePhone(connection, name, sessionID: sessionID, "the call is already yours")
        default:
            if let problem = signalProblem(name, body) {
                return refusePhone(connection, name, sessionID: sessionID, problem)
            }
            return [.send(.terminal(sn: call.sn), body)]
        }
    }

    /// A ringing phone accepted or refused: the first to accept gets the call, the others stop ringing.
    private func accepted(_ sessionID: String, by connection: UInt64, accepts: Bool) -> [IntercomEffect] {
        guard var call = calls[sessionID] else { return [] }
        call.ringing.removeAll { $0 == connection }
        guard accepts else {
            calls[sessionID] = call
            logger.info("phone refused the call", ["sn": call.sn, "phonenum": phones[connection]?.phonenum ?? "-"])
            guard call.ringing.isEmpty else { return [] }
            var effects: [IntercomEffect] = [.send(.terminal(sn: call.sn), IntercomMessages.callaccept(
                sessionID: sessionID, accepted: false, calltype: call.calltype))]
            effects += end(sessionID, .refused)
            return effects
        }

        let others = call.ringing
        call.ringing = []
        call.peer = connection
        call.peerName = phones[connection]?.phonenum
        call.answeredAt = timeSource.now
        call.answeredWall = timeSource.wallClock
        call.ringDeadline = nil
        let held = call.held
        call.held = []
        calls[sessionID] = call
        logger.info("intercom call answered", ["sn": call.sn, "phonenum": call.peerName ?? "-"])

        let cancel = IntercomMessages.callcancel(sessionID: sessionID, calltype: call.calltype)
        var effects: [IntercomEffect] = others.filter { phones[$0] != nil }
            .map { .send(.phone(connection: $0), cancel) }
        effects.append(.send(.terminal(sn: call.sn), IntercomMessages.callaccept(
            sessionID: sessionID, accepted: true, calltype: call.calltype)))
        effects += held.map { .send(.phone(connection: connection), $0) }
        return effects
    }

    private func refusePhone(_ connection: UInt64, _ name: String, sessionID: String?, _ reason: String)
        -> [IntercomEffect]
    {
        logger.info("phone's intercom message refused", [
            "connection": "\(connection)", "phonenum": phones[connection]?.phonenum ?? "-", "cmd": name,
            "reason": reason,
        ])
        return [.send(.phone(connection: connection), IntercomMessages.refusal(name, sessionID: sessionID,
                                                                                reason: reason))]
    }
}
