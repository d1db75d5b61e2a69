/// Reads a start line and header fields, the part that requests and responses share (RFC 9112 section 2.1).
struct HTTPHeadReader: Sendable {
    private let limits: HTTPParserLimits
    private var lines = HTTPLineReader()
    private var headBytes = 0

    /// The first line, once read.
    private(set) var startLine: String?
    /// The header fields read so far.
    private(set) var headers = HTTPHeaders()

    init(limits: HTTPParserLimits) {
        self.limits = limits
    }

    /// Bytes held for a line not yet finished.
    var bufferedCount: Int { lines.bufferedCount }

    /// Consumes bytes until the empty line that ends the head. Returns the index after what was
    /// consumed and whether the head is complete.
    mutating func read(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> (next: Int, complete: Bool) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let budget = limits.maxHeadBytes - headBytes
            let (next, line) = try lines.read(
                bytes[index...], limit: budget, overflow: .headTooLarge(limit: limits.maxHeadBytes))
            headBytes += next - index
            index = next
            guard let line else { break }
            if try accept(line: line) { return (index, true) }
        }
        return (index, false)
    }

    /// Takes one complete line; returns true when it was the empty line that ends the head.
    private mutating func accept(line: [UInt8]) throws(HTTPParseError) -> Bool {
        guard startLine != nil else {
            // RFC 9112 section 2.2: a server should ignore empty lines received before the request line.
            if !line.isEmpty { startLine = String(decoding: line, as: UTF8.self) }
            return false
        }
        if line.isEmpty { return true }

        guard headers.count < limits.maxHeaderCount else { throw .tooManyHeaders(limit: limits.maxHeaderCount) }
        let (name, value) = try Self.field(from: line)
        headers.add(name: name, value: value)
        return false
    }

    /// Splits `name: value`, rejecting folding, invalid names and control characters in values.
    static func field(from line: [UInt8]) throws(HTTPParseError) -> (String, String) {
        let text = { String(decoding: line.prefix(80), as: UTF8.self) }
        if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") { throw .obsoleteLineFolding }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { throw .badHeaderLine(text()) }
        guard line[..<colon].allSatisfy(isTokenCharacter) else { throw .badHeaderLine(text()) }

        let name = String(decoding: line[..<colon], as: UTF8.self)
        var value = line[(colon + 1)...]
        while let first = value.first, first == 0x20 || first == 0x09 { value.removeFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value.removeLast() }
        guard !value.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else {
            throw .badHeaderValue(name: name)
        }
        return (name, String(decoding: value, as: UTF8.self))
    }
}

/// Whether `byte` may appear in a token such as a method or a header name (RFC 9110 section 5.6.2).
@inline(__always)
func isTokenCharacter(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
         UInt8(ascii: "0")...UInt8(ascii: "9"),
         UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
         UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
         UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
        return true
    default:
        return false
    }
}

/// Parses `HTTP/x.y` into its two digits.
func parseHTTPVersion(_ text: Substring) -> (major: Int, minor: Int)? {
    let bytes = Array(text.utf8)
    guard bytes.count == 8, bytes.starts(with: Array("HTTP/".utf8)), bytes[6] == UInt8(ascii: "."),
          let major = decimalDigit(bytes[5]), let minor = decimalDigit(bytes[7])
    else { return nil }
    return (major, minor)
}

private func decimalDigit(_ byte: UInt8) -> Int? {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
}
