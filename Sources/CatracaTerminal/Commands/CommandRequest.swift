import CatracaJSON

/// A typed server→terminal request: read from an operator's params, encoded with the terminals' spellings.
public protocol CommandRequest: Equatable, Sendable {
    /// The protocol's command name, e.g. `setuserinfo`.
    static var commandName: String { get }

    /// Reads and validates operator params (contract section 1: canonical spellings, numbers as strings
    /// accepted, unknown fields refused).
    init(params: JSONObject) throws(CommandValidationError)

    /// The request's members as the terminals expect them, without `cmd` and `stn`.
    var fields: JSONObject { get }
}

extension JSONObject {
    /// Appends `key` when there is a value; requests leave out what the operator did not give.
    mutating func appendIfPresent(_ key: String, _ value: JSONValue?) {
        if let value { append(key: key, value: value) }
    }
}

extension JSONValue {
    /// A number for an optional integer: nil stays nil.
    static func integer(_ value: Int?) -> JSONValue? {
        value.map { .integer($0) }
    }

    /// A string for an optional text: nil stays nil.
    static func text(_ value: String?) -> JSONValue? {
        value.map { .string($0) }
    }

    /// A number for digits already checked to fit in 64 bits (card and password numbers).
    static func digits(_ value: String?) -> JSONValue? {
        value.flatMap { Int64($0) }.map { .number(JSONNumber($0)) }
    }
}
