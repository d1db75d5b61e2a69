/// The frame opcodes RFC 6455 section 5.2 defines; the others are reserved.
enum Opcode: UInt8, Sendable {
    case continuation = 0x0
    case text = 0x1
    case binary = 0x2
    case close = 0x8
    case ping = 0x9
    case pong = 0xA

    var isControl: Bool { rawValue & 0x8 != 0 }
}

/// The fixed part of a frame: flags, opcode, length and masking key.
struct FrameHeader: Sendable {
    var fin: Bool
    /// RSV1-3 as the low three bits; nonzero is an error since no extension is negotiated.
    var reservedBits: UInt8
    /// The raw opcode, which may be a reserved one.
    var opcodeValue: UInt8
    var payloadLength: UInt64
    var maskingKey: MaskingKey?

    /// The most bytes a header can take: 2 fixed, 8 extended length, 4 masking key.
    static let maximumSize = 14

    /// Parses a header from the start of `bytes`; returns nil when more bytes are needed.
    /// The 64-bit length's high bit is reported as is: the caller rejects it.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> (header: FrameHeader, size: Int)? {
        guard bytes.count >= 2 else { return nil }
        let first = bytes[0], second = bytes[1]
        let masked = second & 0x80 != 0
        let shortLength = second & 0x7F
        let lengthSize = shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0
        let size = 2 + lengthSize + (masked ? 4 : 0)
        guard bytes.count >= size else { return nil }

        var length = UInt64(shortLength)
        if lengthSize > 0 {
            length = 0
            for index in 2..<(2 + lengthSize) { length = length << 8 | UInt64(bytes[index]) }
        }

        var key: MaskingKey?
        if masked {
            let base = 2 + lengthSize
            key = MaskingKey(bytes[base], bytes[base + 1], bytes[base + 2], bytes[base + 3])
        }

        let header = FrameHeader(fin: first & 0x80 != 0, reservedBits: (first >> 4) & 0x7, opcodeValue: first & 0xF,
                                 payloadLength: length, maskingKey: key)
        return (header, size)
    }

    /// Appends a frame's header to `output`, using the shortest length encoding.
    static func write(fin: Bool, opcode: Opcode, payloadLength: Int, maskingKey: MaskingKey?,
                      into output: inout [UInt8]) {
        output.append((fin ? 0x80 : 0) | opcode.rawValue)
        let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
        switch payloadLength {
        case 0...125:
            output.append(maskBit | UInt8(payloadLength))
        case 126...0xFFFF:
            output.append(maskBit | 126)
            output.append(UInt8(payloadLength >> 8))
            output.append(UInt8(truncatingIfNeeded: payloadLength))
        default:
            output.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) {
                output.append(UInt8(truncatingIfNeeded: UInt64(payloadLength) >> UInt64(shift)))
            }
        }
        if let key = maskingKey {
            output.append(contentsOf: [key.bytes.0, key.bytes.1, key.bytes.2, key.bytes.3])
        }
    }
}
