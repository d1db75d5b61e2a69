/// Checks UTF-8 as it arrives, a chunk at a time, so a text message can be refused at its first bad byte.
///
/// Follows the well-formed byte sequences of Unicode table 3-7: no overlong forms, no surrogates
/// (U+D800...U+DFFF), nothing above U+10FFFF. A sequence may be split across chunks.
struct UTF8Validator: Sendable {
    /// Continuation bytes still expected for the sequence in progress.
    private var remaining: UInt8 = 0
    /// The range allowed for the next continuation byte; narrower than 80...BF right after some lead bytes.
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// Whether the bytes so far end on a character boundary.
    var isComplete: Bool { remaining == 0 }

    /// Validates the next chunk; returns false at the first byte that cannot be part of well-formed UTF-8.
    mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            if remaining == 0 {
                index = Self.skipASCII(bytes, from: index)
                guard index < count else { return true }
                guard begin(lead: bytes[index]) else { return false }
            } else {
                let byte = bytes[index]
                guard byte >= lower && byte <= upper else { return false }
                remaining -= 1
                lower = 0x80
                upper = 0xBF
            }
            index += 1
        }
        return true
    }

    mutating func validate(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { validate($0) }
    }

    /// Starts a sequence at `lead`; false if no sequence can start with it.
    private mutating func begin(lead: UInt8) -> Bool {
        switch lead {
        case 0x00...0x7F: return true
        case 0xC2...0xDF: remaining = 1
        case 0xE0: (remaining, lower) = (2, 0xA0)
        case 0xE1...0xEC, 0xEE...0xEF: remaining = 2
        case 0xED: (remaining, upper) = (2, 0x9F)
        case 0xF0: (remaining, lower) = (3, 0x90)
        case 0xF1...0xF3: remaining = 3
        case 0xF4: (remaining, upper) = (3, 0x8F)
        default: return false
        }
        return true
    }

    /// The index of the first non-ASCII byte at or after `start`, checking eight bytes per step.
    private static func skipASCII(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < bytes.count && bytes[index] < 0x80 { index += 1 }
        return index
    }
}
