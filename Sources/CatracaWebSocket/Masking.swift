/// The 4-byte masking key of a client frame (RFC 6455 section 5.3).
struct MaskingKey: Equatable, Sendable {
    var bytes: (UInt8, UInt8, UInt8, UInt8)

    init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        bytes = (b0, b1, b2, b3)
    }

    static func == (lhs: MaskingKey, rhs: MaskingKey) -> Bool {
        lhs.bytes == rhs.bytes
    }

    static func random() -> MaskingKey {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt32
        return MaskingKey(UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
                          UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24))
    }

    func byte(at position: Int) -> UInt8 {
        switch position & 3 {
        case 0: return bytes.0
        case 1: return bytes.1
        case 2: return bytes.2
        default: return bytes.3
        }
    }

    /// XORs `buffer` with the key, eight bytes per step. `offset` is how many payload bytes of this frame
    /// came before the buffer, so a payload can be unmasked in the pieces it arrives in.
    func apply(to buffer: UnsafeMutableRawBufferPointer, offset: Int) {
        var pattern = UInt64(0)
        withUnsafeMutableBytes(of: &pattern) { patternBytes in
            for index in 0..<8 { patternBytes[index] = byte(at: offset + index) }
        }

        var index = 0
        while index + 8 <= buffer.count {
            let word = buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            buffer.storeBytes(of: word ^ pattern, toByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < buffer.count {
            buffer[index] ^= byte(at: offset + index)
            index += 1
        }
    }

    /// Masks or unmasks `bytes[range]` in place; see `apply(to:offset:)`.
    func apply(to bytes: inout [UInt8], range: Range<Int>, offset: Int) {
        bytes.withUnsafeMutableBytes { buffer in
            apply(to: UnsafeMutableRawBufferPointer(rebasing: buffer[range]), offset: offset)
        }
    }
}
