import CatracaJSON

/// A server command as the terminal received it, kept for the state file (the last 50).
public struct ReceivedCommand: Equatable, Sendable {
    /// Real local time of arrival, `YYYY-MM-DD HH:MM:SS`.
    public var receivedAt: String
    /// The command object, with long strings (photos, templates) cut to their length.
    public var command: JSONValue
    /// `replied`, `refused` (result false), `silent` (no reply by design or quirk).
    public var outcome: String

    public init(receivedAt: String, command: JSONValue, outcome: String) {
        self.receivedAt = receivedAt
        self.command = ReceivedCommand.abbreviated(command)
        self.outcome = outcome
    }

    /// Strings longer than 64 characters become `"<N chars>"`, so the state file stays small.
    static func abbreviated(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text) where text.utf8.count > 64:
            return .string("<\(text.utf8.count) chars>")
        case .array(let items):
            return .array(items.map(abbreviated))
        case .object(let object):
            return .object(JSONObject(object.members.map { .init(key: $0.key, value: abbreviated($0.value)) }))
        default:
            return value
        }
    }
}
