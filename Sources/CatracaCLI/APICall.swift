import CatracaJSON

/// One call a verb makes to the API on behalf of a terminal (or of every connected one).
public enum APICall: Equatable, Sendable {
    /// `POST .../commands/{name}` with `params` (contract section 1: protocol names, canonical spellings).
    case command(name: String, params: JSONObject)
    /// `POST .../raw`: the message sent exactly as given.
    case raw(message: JSONObject, expectReply: Bool)

    /// The protocol command name, for messages.
    public var commandName: String {
        switch self {
        case .command(let name, _): return name
        case .raw(let message, _): return message["cmd"]?.string ?? "raw"
        }
    }
}

/// How a reply is shown to a person (with `--json` the API's JSON is printed instead).
public enum Presentation: Equatable, Sendable {
    /// The reply's fields as `key: value` lines.
    case fields
    /// A getuserlist listing: one row per user with their credentials.
    case users
    /// A getnewlog/getalllog listing: one row per record, then what the store made of them.
    case logs
    /// A getuserinfo of one credential: shown in short, its data written to `outFile` when given.
    case credential(outFile: String?)
}

/// What a verb does: the calls in order (the next is made only when the one before succeeded), and
/// how the replies are shown.
public struct VerbPlan: Equatable, Sendable {
    public var calls: [APICall]
    public var presentation: Presentation

    public init(_ calls: [APICall], presentation: Presentation = .fields) {
        self.calls = calls
        self.presentation = presentation
    }

    /// One command with its params.
    public static func command(_ name: String, _ params: JSONObject = JSONObject(),
                               presentation: Presentation = .fields) -> VerbPlan {
        VerbPlan([.command(name: name, params: params)], presentation: presentation)
    }
}
