import CatracaJSON

/// A server→terminal command, validated and encoded, ready to be sent.
///
/// `fields` are the request's members as the terminals expect them (their spellings, numbers as numbers),
/// without `"cmd"` and without `"stn"`: paging adds `stn` to each request it sends.
public struct TerminalCommand: Equatable, Sendable {
    /// The protocol's command name, e.g. `getuserinfo`.
    public var name: String
    /// The request's members other than `cmd` and `stn`.
    public var fields: JSONObject
    /// Whether the terminal answers, and how long the sender waits.
    public var expectation: ReplyExpectation
    /// How the listing is walked when the command answers in pages; nil for single replies.
    public var paging: CommandPaging?

    public init(name: String, fields: JSONObject = JSONObject(), expectation: ReplyExpectation = .reply,
                paging: CommandPaging? = nil) {
        self.name = name
        self.fields = fields
        self.expectation = expectation
        self.paging = paging
    }

    /// The message to send: `{"cmd": name, ...fields}`, with `stn` when one is given (paged commands).
    public func message(stn: Bool? = nil) -> JSONObject {
        var message = JSONObject([JSONObject.Member(key: "cmd", value: .string(name))])
        for member in fields where member.key != "cmd" && member.key != "stn" {
            message.append(key: member.key, value: member.value)
        }
        if let stn { message["stn"] = .bool(stn) }
        return message
    }
}

/// Whether a terminal answers a command.
public enum ReplyExpectation: Equatable, Sendable {
    /// The terminal replies with `"ret"` (or, on some firmwares, `"cmd"`) naming the command.
    case reply
    /// The terminal answers nothing (`reboot`): the command is done once it is written.
    case none
    /// The protocol does not document a reply (`cleanadmin`, `settime`, `opendoor`): one that comes within
    /// a short wait is used, otherwise the command counts as sent.
    case replyIfAny
}

/// What a paged command lists; each page's entries are in `record`.
public enum CommandPaging: Equatable, Sendable {
    case users
    case logs
    case questionnaire
}
