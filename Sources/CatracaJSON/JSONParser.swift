/// The iterative parser behind `JSONReader`: one pass over the bytes with an explicit container stack.
struct JSONParser {
    /// An array or object still open, with what has been read into it so far.
    private struct OpenContainer {
        var isObject: Bool
        var elements: [JSONValue] = []
        var members: JSONObject = JSONObject()
        /// The key whose value is being read (objects only).
        var pendingKey: String = ""
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private let maxValues: Int
    private let allowTrailingCommas: Bool
    private var index = 0
    private var valueCount = 0
    private var stack: [OpenContainer] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, maxValues: Int, allowTrailingCommas: Bool) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.maxValues = maxValues
        self.allowTrailingCommas = allowTrailingCommas
    }

    mutating func parseDocument() throws -> JSONValue {
        while true {
            guard var value = try readValueOrOpenContainer() else { continue }

            // Hand the finished value to the containers that wait for it, closing each that ends here.
            while true {
                guard !stack.isEmpty else {
                    skipWhitespace()
                    guard index == bytes.count else { throw JSONError(.trailingData, at: index) }
                    return value
                }
                guard let closed = try addToInnermostContainer(value) else { break }
                value = closed
            }
        }
    }

    // MARK: - Values

    /// Reads a scalar, or opens a container and returns nil so the caller reads its first value.
    ///
    /// An empty container (`[]`, `{}`) is returned whole, as a scalar would be.
    private mutating func readValueOrOpenContainer() throws -> JSONValue? {
        skipWhitespace()
        guard index < bytes.count else { throw JSONError(.unexpectedEnd(expected: "a value"), at: index) }
        valueCount += 1
        guard valueCount <= maxValues else { throw JSONError(.tooManyValues(limit: maxValues), at: index) }

        switch bytes[index] {
        case UInt8(ascii: "["):
            try open(isObject: false)
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
                index += 1
                stack.removeLast()
                return .array([])
            }
            return nil
        case UInt8(ascii: "{"):
            try open(isObject: true)
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
                index += 1
                stack.removeLast()
                return .object(JSONObject())
            }
            stack[stack.count - 1].pendingKey = try readKey()
            return nil
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try readNumber())
        case UInt8(ascii: "t"):
            try expectWord("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectWord("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectWord("null")
            return .null
        default:
            throw JSONError(.unexpectedByte(found: bytes[index], expected: "a value"), at: index)
        }
    }

    private mutating func open(isObject: Bool) throws {
        guard stack.count < maxDepth else { throw JSONError(.tooDeep(limit: maxDepth), at: index) }
        index += 1
        stack.append(OpenContainer(isObject: isObject))
    }

    /// Puts `value` into the innermost open container and reads the separator after it.
    ///
    /// Returns the container itself when it closes here, or nil when another value follows.
    private mutating func addToInnermostContainer(_ value: JSONValue) throws -> JSONValue? {
        let top = stack.count - 1
        let isObject = stack[top].isObject
        let closing = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        if isObject {
            stack[top].members.append(key: stack[top].pendingKey, value: value)
        } else {
            stack[top].elements.append(value)
        }

        skipWhitespace()
        guard index < bytes.count else {
            throw JSONError(.unexpectedEnd(expected: isObject ? "',' or '}'" : "',' or ']'"), at: index)
        }
        let separator = bytes[index]
        if separator == closing {
            index += 1
            return close()
        }
        guard separator == UInt8(ascii: ",") else {
            let expected = isObject ? "',' or '}' after an object member" : "',' or ']' after an array element"
            throw JSONError(.unexpectedByte(found: separator, expected: expected), at: index)
        }
        let commaOffset = index
        index += 1

        skipWhitespace()
        if index < bytes.count && bytes[index] == closing {
            guard allowTrailingCommas else { throw JSONError(.trailingComma, at: commaOffset) }
            index += 1
            return close()
        }
        if isObject {
            stack[top].pendingKey = try readKey()
        }
        return nil
    }

    private mutating func close() -> JSONValue {
        let container = stack.removeLast()
        return container.isObject ? .object(container.members) : .array(container.elements)
    }

    /// Reads `"key"` and the `:` after it.
    private mutating func readKey() throws -> String {
        skipWhitespace()
        guard index < bytes.count else { throw JSONError(.unexpectedEnd(expected: "a member name"), at: index) }
        guard bytes[index] == UInt8(ascii: "\"") else {
            throw JSONError(.unexpectedByte(found: bytes[index], expected: "a member name in quotes"), at: index)
        }
        let key = try readString()

        skipWhitespace()
        guard index < bytes.count else { throw JSONError(.unexpectedEnd(expected: "':'"), at: index) }
        guard bytes[index] == UInt8(ascii: ":") else {
            throw JSONError(.unexpectedByte(found: bytes[index], expected: "':' after a member name"), at: index)
        }
        index += 1
        return key
    }

    private mutating func readNumber() throws -> JSONNumber {
        let start = index
        guard let length = JSONNumberGrammar.matchLength(bytes, from: start) else {
            throw JSONError(.invalidNumber, at: start)
        }
        index += length

        // A number must end at a delimiter: "12abc" or "1.5.2" is one broken token, not two.
        if index < bytes.count && !JSONParser.mayFollowNumber(bytes[index]) {
            throw JSONError(.invalidNumber, at: start)
        }
        return JSONNumber(validatedText: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]),
                                                as: UTF8.self))
    }

    private static func mayFollowNumber(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"),
             UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            return true
        default:
            return false
        }
    }

    private mutating func expectWord(_ word: StaticString) throws {
        let start = index
        let length = word.utf8CodeUnitCount
        let matches = word.withUTF8Buffer { expected in
            bytes.count - start >= length && (0..<length).allSatisfy { bytes[start + $0] == expected[$0] }
        }
        guard matches else {
            throw JSONError(.unexpectedByte(found: bytes[start], expected: "a value (\(word)?)"), at: start)
        }
        index += length
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                index += 1
            default:
                return
            }
        }
    }

    // MARK: - Strings

    /// Reads a string starting at its opening quote.
    private mutating func readString() throws -> String {
        let openingQuote = index
        index += 1
        let start = index

        // The fast path: no escapes, so the bytes between the quotes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try makeString(start..<index, at: openingQuote)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw JSONError(.controlCharacterInString(byte), at: index) }
            index += 1
        }
        guard index < bytes.count else {
            throw JSONError(.unexpectedEnd(expected: "the closing '\"' of a string"), at: index)
        }
        return try readEscapedString(plainPrefix: start..<index, openingQuote: openingQuote)
    }

    /// Reads the rest of a string that has escapes, collecting its UTF-8 bytes once.
    private mutating func readEscapedString(plainPrefix: Range<Int>, openingQuote: Int) throws -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(plainPrefix.count + 16)
        utf8.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainPrefix]))
        var runStart = index

        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                utf8.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                index += 1
                return try utf8.withUnsafeBufferPointer { try JSONParser.makeString($0, at: openingQuote) }
            }
            if byte == UInt8(ascii: "\\") {
                utf8.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                try readEscape(into: &utf8)
                runStart = index
                continue
            }
            if byte < 0x20 { throw JSONError(.controlCharacterInString(byte), at: index) }
            index += 1
        }
        throw JSONError(.unexpectedEnd(expected: "the closing '\"' of a string"), at: index)
    }

    /// Reads one escape starting at its backslash and appends what it stands for as UTF-8.
    private mutating func readEscape(into utf8: inout [UInt8]) throws {
        let escapeStart = index
        guard index + 1 < bytes.count else {
            throw JSONError(.unexpectedEnd(expected: "an escape after '\\'"), at: index)
        }
        let letter = bytes[index + 1]
        index += 2

        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(letter)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"): JSONParser.appendUTF8(of: try readUnicodeEscape(escapeStart: escapeStart), to: &utf8)
        default: throw JSONError(.invalidEscape, at: escapeStart)
        }
    }

    /// Reads the four hex digits after `\u`, and the low half of a surrogate pair when one follows.
    private mutating func readUnicodeEscape(escapeStart: Int) throws -> Unicode.Scalar {
        let unit = try readHexQuad(escapeStart: escapeStart)
        let replacement = Unicode.Scalar(0xFFFD)!

        if (0xDC00...0xDFFF).contains(unit) { return replacement }
        guard (0xD800...0xDBFF).contains(unit) else { return Unicode.Scalar(unit)! }

        let hasLowHalf = index + 1 < bytes.count && bytes[index] == UInt8(ascii: "\\")
            && bytes[index + 1] == UInt8(ascii: "u")
        guard hasLowHalf else { return replacement }
        let savedIndex = index
        index += 2
        let low = try readHexQuad(escapeStart: savedIndex)
        guard (0xDC00...0xDFFF).contains(low) else {
            // Not a pair: the high half stands alone and the next escape is read on its own.
            index = savedIndex
            return replacement
        }
        return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
    }

    private mutating func readHexQuad(escapeStart: Int) throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw JSONError(.invalidEscape, at: escapeStart) }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = JSONParser.hexValue(bytes[index + offset]) else {
                throw JSONError(.invalidEscape, at: escapeStart)
            }
            value = value << 4 | digit
        }
        index += 4
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private static func appendUTF8(of scalar: Unicode.Scalar, to utf8: inout [UInt8]) {
        UTF8.encode(scalar) { utf8.append($0) }
    }

    private func makeString(_ range: Range<Int>, at openingQuote: Int) throws -> String {
        try JSONParser.makeString(UnsafeBufferPointer(rebasing: bytes[range]), at: openingQuote)
    }

    private static func makeString(_ utf8: UnsafeBufferPointer<UInt8>, at openingQuote: Int) throws -> String {
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw JSONError(.invalidUTF8, at: openingQuote)
        }
        return text
    }
}
