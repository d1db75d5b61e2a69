import CatracaCore
import CatracaJSON
import Foundation

/// Answers the server's commands (section 2 of the protocol) the way a terminal would, free of I/O:
/// one command object in, the terminal's state updated, the messages to send back out.
///
/// Written from the protocol text, not from the daemon's command model, so that the two readings
/// check each other. Where the protocol is silent the rules chosen are documented on the handler
/// and in `Sources/CatracaEmulator/README.md`.
///
/// Failures: most commands refuse with `reason` 1 (the only number the vendor's failure examples
/// show): an unknown user, a missing or malformed field, a value out of range. `setuserinfo` refuses
/// with its own table (see `PhotoCheck`; a malformed non-photo field gives 2, "anything else");
/// `adduser` during an enrolment gives 3 with `mesg` "device is working".
public final class TerminalCommandResponder {
    public let serialNumber: String
    public var state: TerminalState
    public var quirks: TerminalQuirks
    public var pageSizes: PageSizes
    public var options: ResponderOptions
    /// Listings in progress, by command name.
    var listings: [String: Listing] = [:]
    /// Under `string-numbers`, whether the next `admin` goes out as text (it alternates).
    var nextAdminAsText = true

    /// Every command this responder knows, in the protocol's order.
    public static let commands = [
        "getuserlist", "getuserinfo", "setuserinfo", "deleteuser", "getusername", "setusername", "enableuser",
        "cleanuser", "getnewlog", "getalllog", "cleanlog", "initsys", "reboot", "cleanadmin", "settime",
        "setdevinfo", "opendoor", "getdevinfo", "setdevlock", "getdevlock", "getuserlock", "setuserlock",
        "deleteuserlock", "cleanuserlock", "gettime", "setquestionnaire", "getquestionnaire", "adduser",
    ]

    /// The commands whose reply the protocol does not document; quirk `silent-undocumented` leaves
    /// them unanswered.
    public static let undocumentedReplies: Set<String> = ["cleanadmin", "settime", "opendoor"]

    public init(serialNumber: String, state: TerminalState = TerminalState(), quirks: TerminalQuirks = TerminalQuirks(),
                pageSizes: PageSizes = PageSizes(), options: ResponderOptions = ResponderOptions()) {
        self.serialNumber = serialNumber
        self.state = state
        self.quirks = quirks
        self.pageSizes = pageSizes
        self.options = options
    }

    /// Carries out one server command received when the real clock reads `now`, and returns what to send.
    ///
    /// A message without a `"cmd"` string is not a command: nothing changes and nothing is sent.
    public func respond(to message: JSONValue, at now: Date) -> TerminalResponse {
        guard let object = message.object, let name = object["cmd"]?.string else { return TerminalResponse() }
        state.completeEnrolment(ifDueAt: now)

        let rebootsBefore = state.reboots
        let answer = answer(to: name, CommandFields(object), at: now)
        state.remember(ReceivedCommand(receivedAt: state.clock.siteTime.format(now), command: message,
                                       outcome: answer.outcome))

        if state.reboots > rebootsBefore { return TerminalResponse(restarts: true) }
        guard let reply = answer.reply, !quirks.contains(.noReply) else { return TerminalResponse() }
        var messages: [JSONValue] = []
        if quirks.contains(.sendlogBeforeReply) { messages.append(pushNewRecord(at: now)) }
        messages.append(.object(styled(reply, command: name)))
        return TerminalResponse(messages: messages, delay: quirks.contains(.slowReply) ? quirks.slowReplyDelay : .zero)
    }

    /// Completes an enrolment whose time has come (for a timer between commands); true when one did.
    @discardableResult
    public func completeEnrolment(ifDueAt now: Date) -> Bool {
        state.completeEnrolment(ifDueAt: now)
    }

    /// What the terminal makes of a command: a reply object (success or refusal), or none.
    struct Answer {
        var reply: JSONObject?
        var outcome: String
    }

    private func answer(to name: String, _ fields: CommandFields, at now: Date) -> Answer {
        let silent = name == "reboot"
            || (quirks.contains(.silentUndocumented) && TerminalCommandResponder.undocumentedReplies.contains(name))
        if quirks.contains(.refuseAll) {
            if silent { return Answer(reply: nil, outcome: "silent") }
            return refusedAnswer(name, CommandRefusal.invalid("quirk refuse-all"))
        }
        do {
            let body = try perform(name, fields, at: now)
            guard let body, !silent else { return Answer(reply: nil, outcome: "silent") }
            var reply = header(name, result: true)
            for member in body { reply[member.key] = member.value }
            return Answer(reply: reply, outcome: "replied")
        } catch let refusal as CommandRefusal {
            return refusedAnswer(name, refusal)
        } catch {
            return refusedAnswer(name, CommandRefusal.invalid("\(error)"))
        }
    }

    private func refusedAnswer(_ name: String, _ refusal: CommandRefusal) -> Answer {
        var reply = header(name, result: false)
        reply["reason"] = .integer(refusal.reason)
        for member in refusal.extra { reply[member.key] = member.value }
        return Answer(reply: reply, outcome: "refused reason=\(refusal.reason): \(refusal.detail)")
    }

    private func header(_ name: String, result: Bool) -> JSONObject {
        ["ret": .string(name), "sn": .string(serialNumber), "result": .bool(result)]
    }

    /// Runs the command against the state; the reply's fields beyond `ret`/`sn`/`result`, or nil for
    /// a command that is never answered (`reboot`).
    private func perform(_ name: String, _ fields: CommandFields, at now: Date) throws -> JSONObject? {
        switch name {
        case "getuserlist": return try listUsers(fields)
        case "getuserinfo": return try userInfo(fields)
        case "setuserinfo": return try setUserInfo(CommandFields(fields.object, failureReason: 2))
        case "deleteuser": return try deleteUser(fields)
        case "getusername": return try userName(fields)
        case "setusername": return try setUserNames(fields)
        case "enableuser": return try enableUser(fields)
        case "cleanuser": return cleanUsers()
        case "cleanadmin": return cleanAdministrators()
        case "getnewlog": return try listNewLogs(fields)
        case "getalllog": return try listAllLogs(fields)
        case "cleanlog": return cleanLogs()
        case "initsys": return initialize()
        case "reboot": return reboot()
        case "settime": return try setTime(fields, at: now)
        case "gettime": return ["time": .string(state.clock.time(at: now))]
        case "setdevinfo": return try setDeviceInfo(fields)
        case "getdevinfo": return deviceInfo()
        case "opendoor": return try openDoor(fields)
        case "setdevlock": return try setDoorLock(fields)
        case "getdevlock": return doorLock()
        case "getuserlock": return try userLock(fields)
        case "setuserlock": return try setUserLocks(fields)
        case "deleteuserlock": return try deleteUserLock(fields)
        case "cleanuserlock": return cleanUserLocks()
        case "setquestionnaire": return try setQuestionnaire(fields)
        case "getquestionnaire": return try listQuestionnaire(fields)
        case "adduser": return try addUser(fields, at: now)
        default: throw CommandRefusal.invalid("unknown command \(name)")
        }
    }

    /// The next page of the listing `name`: `stn` true (or absent) starts it over from a fresh
    /// snapshot made by `start`, false continues (or starts one when none is open).
    func nextPage(of name: String, _ fields: CommandFields, start: () -> Listing) throws -> (Listing, Range<Int>) {
        let first = try fields.bool("stn") ?? true
        if first || listings[name] == nil {
            listings[name] = start()
            let page = listings[name]!.advance()
            return (listings[name]!, page)
        }
        let page = quirks.contains(.endlessPaging) ? listings[name]!.repeatLast() : listings[name]!.advance()
        return (listings[name]!, page)
    }

    /// The user `enrollid`, or a refusal naming it.
    func existingUser(_ enrollid: Int) throws -> EmulatedUser {
        guard let user = state.users[enrollid] else { throw CommandRefusal.invalid("no user \(enrollid)") }
        return user
    }
}
