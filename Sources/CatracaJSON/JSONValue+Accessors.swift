// Lenient reads: firmwares send numbers as strings ("12", " 12 "), booleans as 1/0 or "true", and
// integers as 12.0. These accessors accept all of those and return nil for anything else.

extension JSONValue {
    /// A whole number: a number, an integral double (`12.0`), or a string holding one (`"12"`, `" 12 "`).
    public var int64: Int64? {
        switch self {
        case .number(let number): return number.int64
        case .string(let text): return JSONValue.number(inText: text)?.int64
        default: return nil
        }
    }

    /// `int64` when it fits in `Int`.
    public var int: Int? {
        guard let value = int64 else { return nil }
        return Int(exactly: value)
    }

    /// A number, or a string holding one (`"36.5"`).
    public var double: Double? {
        switch self {
        case .number(let number): return number.double
        case .string(let text): return JSONValue.number(inText: text)?.double
        default: return nil
        }
    }

    /// A string, or a number's text (`12` gives `"12"`).
    public var string: String? {
        switch self {
        case .string(let text): return text
        case .number(let number): return number.text
        default: return nil
        }
    }

    /// `true`/`false`, `1`/`0`, or those written as strings (`"true"`, `"FALSE"`, `"1"`).
    public var bool: Bool? {
        switch self {
        case .bool(let value):
            return value
        case .number(let number):
            return JSONValue.bool(fromInteger: number.int64)
        case .string(let text):
            let trimmed = JSONValue.trimmed(text).lowercased()
            if trimmed == "true" { return true }
            if trimmed == "false" { return false }
            return JSONValue.bool(fromInteger: JSONValue.number(inText: trimmed)?.int64)
        default:
            return nil
        }
    }

    public var object: JSONObject? {
        guard case .object(let object) = self else { return nil }
        return object
    }

    public var array: [JSONValue]? {
        guard case .array(let array) = self else { return nil }
        return array
    }

    public var isNull: Bool { self == .null }

    /// Shortcut for `object?[key]`: nil when this is not an object or has no such key.
    public subscript(key: String) -> JSONValue? {
        object?[key]
    }

    private static func bool(fromInteger value: Int64?) -> Bool? {
        switch value {
        case 1: return true
        case 0: return false
        default: return nil
        }
    }

    /// The number written in `text` (surrounding blanks allowed), held to the JSON grammar so that
    /// `"0x10"`, `"inf"` or `"1_000"` are not taken for numbers.
    /// Firmwares that send numbers as strings sometimes pad them with zeros (`"042"`), which JSON's own
    /// number syntax does not allow; the zeros are dropped so that `"042"` reads as 42.
    private static func number(inText text: String) -> JSONNumber? {
        let plain = trimmed(text)
        return JSONNumber(text: plain) ?? withoutLeadingZeros(plain).flatMap { JSONNumber(text: $0) }
    }

    private static func withoutLeadingZeros(_ text: String) -> String? {
        let negative = text.hasPrefix("-")
        let digits = negative ? text.dropFirst() : Substring(text)
        guard digits.count > 1, digits.first == "0" else { return nil }
        let stripped = digits.drop(while: { $0 == "0" })
        let body = stripped.isEmpty || stripped.first == "." ? "0" + stripped : String(stripped)
        return negative ? "-" + body : body
    }

    private static func trimmed(_ text: String) -> String {
        let blanks: Set<Character> = [" ", "\t", "\n", "\r"]
        guard let first = text.firstIndex(where: { !blanks.contains($0) }),
              let last = text.lastIndex(where: { !blanks.contains($0) }) else { return "" }
        return String(text[first...last])
    }
}
