import CatracaJSON

/// Every server→terminal command of section 2 of the protocol, in its order, with how it is answered.
enum CommandCatalog {
    struct Entry {
        var request: any CommandRequest.Type
        var expectation: ReplyExpectation = .reply
        var paging: CommandPaging?

        var name: String { request.commandName }
    }

    static let entries: [Entry] = [
        Entry(request: GetUserList.self, paging: .users),
        Entry(request: GetUserInfo.self),
        Entry(request: SetUserInfo.self),
        Entry(request: DeleteUser.self),
        Entry(request: GetUserName.self),
        Entry(request: SetUserName.self),
        Entry(request: EnableUser.self),
        Entry(request: CleanUser.self),
        Entry(request: GetNewLog.self, paging: .logs),
        Entry(request: GetAllLog.self, paging: .logs),
        Entry(request: CleanLog.self),
        Entry(request: InitSys.self),
        Entry(request: Reboot.self, expectation: .none),
        Entry(request: CleanAdmin.self, expectation: .replyIfAny),
        Entry(request: SetTime.self, expectation: .replyIfAny),
        Entry(request: SetDevInfo.self),
        Entry(request: OpenDoor.self, expectation: .replyIfAny),
        Entry(request: GetDevInfo.self),
        Entry(request: SetDevLock.self),
        Entry(request: GetDevLock.self),
        Entry(request: GetUserLock.self),
        Entry(request: SetUserLock.self),
        Entry(request: DeleteUserLock.self),
        Entry(request: CleanUserLock.self),
        Entry(request: GetTime.self),
        Entry(request: SetQuestionnaire.self),
        Entry(request: GetQuestionnaire.self, paging: .questionnaire),
        Entry(request: AddUserRequest.self),
        Entry(request: EnableWebRTC.self),
    ]

    static func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }
}

extension TerminalCommand {
    /// Validates operator params for the named command and encodes it.
    ///
    /// Throws `CommandValidationError` (the field and why) or `UnknownCommandError` (the name is not one of
    /// section 2's commands; the raw passthrough sends those). `settime` needs `cloudtime`: the daemon fills in
    /// the site's time before calling this when the operator gives none.
    public static func make(name: String, params: JSONObject) throws -> TerminalCommand {
        guard let entry = CommandCatalog.entry(named: name) else { throw UnknownCommandError(name: name) }
        let request = try entry.request.init(params: params)
        return TerminalCommand(name: name, fields: request.fields, expectation: entry.expectation,
                               paging: entry.paging)
    }

    /// A message sent as given: only `"cmd"` is required. `"ret"` (which marks a reply, not a command) and
    /// `"stn"` (raw messages are not paged; use the typed command) are refused.
    public static func raw(message: JSONObject, expectReply: Bool) throws -> TerminalCommand {
        guard let cmd = message["cmd"] else {
            throw CommandValidationError(field: "cmd", message: "is required (the command's name)")
        }
        guard case .string(let name) = cmd, !name.isEmpty,
              name.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0)
                  || $0 == "_" }) else {
            throw CommandValidationError(field: "cmd", message: "\(Shown(cmd)) is not a command name (ASCII letters)")
        }
        if message["ret"] != nil {
            throw CommandValidationError(field: "ret", message: "marks a reply, not a command; leave it out")
        }
        if message["stn"] != nil {
            throw CommandValidationError(field: "stn",
                                         message: "raw messages are not paged; use the typed command for listings")
        }

        var fields = JSONObject()
        for member in message where member.key != "cmd" {
            fields.append(key: member.key, value: member.value)
        }
        return TerminalCommand(name: name, fields: fields, expectation: expectReply ? .reply : .none)
    }

    /// Every command name `make` knows, in the protocol's order (for `--help` and the API's error text).
    public static var knownNames: [String] { CommandCatalog.entries.map(\.name) }
}
