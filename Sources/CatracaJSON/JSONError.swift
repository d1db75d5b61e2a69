/// Why a JSON text could not be read, and at which byte.
public struct JSONError: Error, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The text stopped while `expected` was still due.
        case unexpectedEnd(expected: String)
        /// `found` stood where `expected` was due.
        case unexpectedByte(found: UInt8, expected: String)
        /// Containers nest deeper than the reader's `maxDepth`.
        case tooDeep(limit: Int)
        /// The text is longer than the reader's `maxBytes`.
        case tooLarge(size: Int, limit: Int)
        /// More values (scalars, arrays, objects) than the reader's `maxValues`.
        case tooManyValues(limit: Int)
        /// A number breaks the RFC 8259 grammar (leading zero, missing digits, `NaN`...).
        case invalidNumber
        /// A backslash escape that JSON does not define, or a `\u` without four hex digits.
        case invalidEscape
        /// A raw control character (below U+0020) inside a string; JSON requires it escaped.
        case controlCharacterInString(UInt8)
        /// A string's bytes are not valid UTF-8.
        case invalidUTF8
        /// A `,` directly before `]` or `}` while the reader does not allow trailing commas.
        case trailingComma
        /// More text after the value.
        case trailingData
    }

    public var kind: Kind
    /// The byte offset in the input where the problem was found.
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }
}

extension JSONError: CustomStringConvertible {
    public var description: String {
        "invalid JSON at byte \(offset): \(problem)"
    }

    private var problem: String {
        switch kind {
        case .unexpectedEnd(let expected):
            return "the text ends where \(expected) was expected"
        case .unexpectedByte(let found, let expected):
            return "found \(JSONError.show(found)) where \(expected) was expected"
        case .tooDeep(let limit):
            return "arrays and objects nest deeper than \(limit) levels"
        case .tooLarge(let size, let limit):
            return "the text is \(size) bytes, more than the \(limit) allowed"
        case .tooManyValues(let limit):
            return "more than \(limit) values in one text"
        case .invalidNumber:
            return "malformed number (JSON allows no leading zeros, no NaN, digits on both sides of '.')"
        case .invalidEscape:
            return "unknown escape in a string (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"
        case .controlCharacterInString(let byte):
            return "raw control character \(JSONError.show(byte)) in a string; it must be escaped"
        case .invalidUTF8:
            return "a string is not valid UTF-8"
        case .trailingComma:
            return "a comma before the closing bracket (trailing commas are not allowed here)"
        case .trailingData:
            return "more text after the JSON value"
        }
    }

    private static func show(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
