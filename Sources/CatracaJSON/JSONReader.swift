/// Reads JSON text (RFC 8259) into `JSONValue`, with the limits a network daemon needs.
///
/// Strict about the grammar (no leading zeros, no NaN, no raw control characters in strings, UTF-8
/// only) with one documented leniency: a comma before `]` or `}` is accepted by default, because
/// terminal firmwares send `[{...},]`.
///
/// The parser keeps its own stack instead of recursing, so nesting depth costs heap, not the
/// thread's stack, and `maxDepth` is checked before each container is opened: `[[[[...` 100,000 deep
/// fails at the 65th bracket. The limit also protects what comes after parsing: releasing, comparing
/// or writing a `JSONValue` recurses once per level, so a value tens of thousands deep would overflow
/// the stack there even though the parser itself does not.
///
/// Strings are scanned byte-wise; a string without escapes becomes a `String` in one step from its
/// bytes, so a multi-megabyte base64 photo costs one validation pass and one copy.
///
/// A `\u` escape that names half of a surrogate pair without the other half (a lone surrogate) is
/// read as U+FFFD: the text stays readable and a firmware's broken name does not lose the record.
public struct JSONReader: Sendable {
    /// How deep arrays and objects may nest; the top-level container counts as 1.
    public var maxDepth: Int
    /// Accept `[1,]` and `{"a":1,}`.
    public var allowTrailingCommas: Bool
    /// The longest text accepted, in bytes; nil for no limit.
    public var maxBytes: Int?
    /// How many values (scalars, arrays and objects) one text may hold. Each costs tens of bytes once
    /// read, so 16 MiB of `[[],[],…]` would otherwise become more than half a GiB; the default leaves
    /// room for hundreds of thousands of records.
    public var maxValues: Int

    public init(maxDepth: Int = 64, allowTrailingCommas: Bool = true, maxBytes: Int? = nil,
                maxValues: Int = 500_000) {
        self.maxDepth = maxDepth
        self.maxValues = maxValues
        self.allowTrailingCommas = allowTrailingCommas
        self.maxBytes = maxBytes
    }

    public func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { try parse(buffer: $0) }
    }

    public func parse(_ buffer: UnsafeRawBufferPointer) throws -> JSONValue {
        try parse(buffer: buffer.bindMemory(to: UInt8.self))
    }

    public func parse(_ text: String) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { try parse(buffer: $0) }
    }

    /// Reads `bytes` with the default options.
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try JSONReader().parse(bytes)
    }

    /// Reads `text` with the default options.
    public static func parse(_ text: String) throws -> JSONValue {
        try JSONReader().parse(text)
    }

    private func parse(buffer: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        if let maxBytes, buffer.count > maxBytes {
            throw JSONError(.tooLarge(size: buffer.count, limit: maxBytes), at: maxBytes)
        }
        var parser = JSONParser(bytes: buffer, maxDepth: maxDepth, maxValues: maxValues,
                                allowTrailingCommas: allowTrailingCommas)
        return try parser.parseDocument()
    }
}
