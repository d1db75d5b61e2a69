/// A JSON number kept as the text it was written with.
///
/// `20231223134930` or `1.50` round-trip unchanged, and an integer too large for `Double` is not
/// rounded on the way through.
public struct JSONNumber: Equatable, Hashable, Sendable {
    /// The number's text, always valid RFC 8259 number syntax.
    public let text: String

    /// Wraps text the caller has already checked against the JSON number grammar.
    init(validatedText text: String) {
        self.text = text
    }

    /// Reads `text` as a JSON number; nil when it is not one (`+1`, `01`, `1.`, `NaN`, `0x10`...).
    public init?(text: String) {
        var text = text
        let valid = text.withUTF8 { JSONNumberGrammar.matchLength($0, from: 0) == $0.count && !$0.isEmpty }
        guard valid else { return nil }
        self.text = text
    }

    public init(_ value: Int64) {
        self.text = String(value)
    }

    public init(_ value: Int) {
        self.text = String(value)
    }

    /// A number for `value`; nil for NaN and infinities, which JSON cannot express.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        self.text = "\(value)"
    }

    /// The value as an integer: integer text, or a fraction or exponent form that is whole (`12.0`, `1e3`).
    ///
    /// Nil when the number is not whole or does not fit in 64 bits. The fraction and exponent forms go
    /// through `Double`, so they are taken only where that is exact (up to 2^53): a value just past the
    /// 64-bit range is not rounded into it, and `1e-400` is not read as 0.
    public var int64: Int64? {
        if let exact = Int64(text) { return exact }
        guard let value = Double(text), value.rounded() == value, abs(value) <= 9_007_199_254_740_992 else {
            return nil
        }
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }
        if value == 0 && mantissa.contains(where: { ("1"..."9").contains($0) }) { return nil }
        return Int64(value)
    }

    /// The value as the nearest `Double`.
    public var double: Double? { Double(text) }
}

extension JSONNumber: CustomStringConvertible {
    public var description: String { text }
}

/// The RFC 8259 number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
enum JSONNumberGrammar {
    /// How many bytes from `start` form a number, or nil when the bytes there break the grammar.
    ///
    /// A number ends at the first byte that cannot continue it; the caller decides whether that byte
    /// may follow a number.
    static func matchLength(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        let end = bytes.count

        func isDigit(_ at: Int) -> Bool { at < end && bytes[at] >= 0x30 && bytes[at] <= 0x39 }
        func skipDigits() { while isDigit(index) { index += 1 } }

        if index < end && bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { return nil }
        } else {
            skipDigits()
        }

        if index < end && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { return nil }
            skipDigits()
        }

        if index < end && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < end && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard isDigit(index) else { return nil }
            skipDigits()
        }

        return index - start
    }
}
