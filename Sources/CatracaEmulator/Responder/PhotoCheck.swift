import Foundation

/// How the emulated terminal judges a face photo sent with `setuserinfo` (`backupnum` 50).
///
/// A firmware runs face detection; the emulator decides from the bytes alone, by these rules in order:
/// 1. An optional `data:image/...;base64,` prefix is dropped; missing `=` padding is tolerated.
///    Text that is still not base64: reason 2 (outside the table: "image decoding failed").
/// 2. More than `maxBytes` decoded bytes: reason 1 (image too large).
/// 3. Bytes containing the ASCII marker `catraca-emulator:reason=N`: reason N, so tests can provoke
///    any row of the table (6 two faces, 7 too wide, ...).
/// 4. Bytes that start neither with the JPEG start-of-image marker (FF D8) nor with the PNG
///    signature: reason 5 (no face found), which is what a firmware answers for an image it can
///    decode but finds no face in, and the emulator's reading of "not a photo".
public enum PhotoCheck {
    /// The photo's base64 text without a `data:` prefix, or nil when it is not base64.
    public static func base64Body(of text: String) -> String? {
        var body = Substring(text)
        if body.hasPrefix("data:"), let comma = body.firstIndex(of: ",") {
            body = body[body.index(after: comma)...]
        }
        let trimmed = body.filter { !" \r\n\t".contains($0) }
        let padded = trimmed + String(repeating: "=", count: (4 - trimmed.count % 4) % 4)
        return Data(base64Encoded: padded) == nil ? nil : String(trimmed)
    }

    /// The refusal reason for `text`, or nil when the terminal accepts it.
    public static func refusalReason(for text: String, maxBytes: Int) -> Int? {
        guard let body = base64Body(of: text) else { return 2 }
        let padded = body + String(repeating: "=", count: (4 - body.count % 4) % 4)
        let bytes = [UInt8](Data(base64Encoded: padded) ?? Data())
        if bytes.count > maxBytes { return 1 }
        if let forced = forcedReason(in: bytes) { return forced }
        return isJPEG(bytes) || isPNG(bytes) ? nil : 5
    }

    static func isJPEG(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xD8
    }

    static func isPNG(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    private static let marker = Array("catraca-emulator:reason=".utf8)

    private static func forcedReason(in bytes: [UInt8]) -> Int? {
        guard bytes.count > marker.count else { return nil }
        for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] {
            guard Array(bytes[start..<start + marker.count]) == marker else { continue }
            let digits = bytes[(start + marker.count)...].prefix { (0x30...0x39).contains($0) }.prefix(4)
            return Int(String(decoding: digits, as: UTF8.self))
        }
        return nil
    }
}
