/// Standard base64 (RFC 4648 section 4) with padding, for the handshake keys.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let group = bytes[start..<min(start + 3, bytes.count)]
            var value = UInt32(0)
            for (offset, byte) in group.enumerated() { value |= UInt32(byte) << (16 - 8 * offset) }
            for position in 0..<4 {
                let index = Int((value >> (18 - 6 * position)) & 0x3F)
                output.append(position <= group.count ? alphabet[index] : UInt8(ascii: "="))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The decoded bytes, or nil if `text` is not canonical padded base64.
    static func decode(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count % 4 == 0 else { return nil }

        var output: [UInt8] = []
        for start in stride(from: 0, to: characters.count, by: 4) {
            let group = characters[start..<start + 4]
            let isLast = start + 4 == characters.count
            let padding = group.reversed().prefix { $0 == UInt8(ascii: "=") }.count
            guard padding <= 2, padding == 0 || isLast else { return nil }

            var value = UInt32(0)
            for (offset, character) in group.prefix(4 - padding).enumerated() {
                guard let sextet = alphabet.firstIndex(of: character) else { return nil }
                value |= UInt32(sextet) << (18 - 6 * offset)
            }
            let decoded = [UInt8(value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
            // Bits beyond the last whole byte must be zero, or two spellings would decode alike.
            guard decoded.suffix(padding).allSatisfy({ $0 == 0 }) else { return nil }
            output.append(contentsOf: decoded.prefix(3 - padding))
        }
        return output
    }
}
