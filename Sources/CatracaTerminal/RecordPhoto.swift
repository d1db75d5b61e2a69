import Foundation

/// Decodes the `image` of a record: base64, optionally behind a `data:<type>;base64,` prefix.
enum RecordPhoto {
    /// Why a photo was not kept.
    enum Problem: Error, Equatable, CustomStringConvertible {
        case notBase64(length: Int)
        case notAString

        var description: String {
            switch self {
            case .notBase64(let length): return "image is not base64 (\(length) characters)"
            case .notAString: return "image is not a string"
            }
        }
    }

    /// The photo in `text`; nil for an empty image.
    static func decode(_ text: String) throws -> Photo? {
        let (mediaType, payload) = split(text)
        guard !payload.isEmpty else { return nil }

        guard let data = Data(base64Encoded: String(payload), options: .ignoreUnknownCharacters), !data.isEmpty else {
            throw Problem.notBase64(length: payload.utf8.count)
        }
        let bytes = [UInt8](data)
        return Photo(mediaType: sniffedMediaType(bytes) ?? mediaType ?? "image/jpeg", bytes: bytes)
    }

    /// The image type the bytes themselves show, which wins over what the prefix claims: a stored photo is
    /// later served to browsers, and its type must not be something a terminal made up (`text/html`).
    static func sniffedMediaType(_ bytes: [UInt8]) -> String? {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + magic.count && Array(bytes[offset..<(offset + magic.count)]) == magic
        }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts(Array("GIF8".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        if starts(Array("BM".utf8)) { return "image/bmp" }
        return nil
    }

    /// The media type of a `data:` prefix (nil without one) and the base64 text after it.
    private static func split(_ text: String) -> (mediaType: String?, payload: Substring) {
        let whole = Substring(text)
        guard whole.utf8.count > 5, whole.prefix(5).lowercased() == "data:",
              let comma = whole.utf8.firstIndex(of: UInt8(ascii: ",")) else { return (nil, whole) }

        let header = whole[whole.index(whole.startIndex, offsetBy: 5)..<comma]
        let payload = whole[whole.index(after: comma)...]
        let mediaType = header.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return (isPlausibleMediaType(mediaType) ? mediaType : nil, payload)
    }

    /// Photos are raster images; any other declared type (`text/html`, `image/svg+xml`, which may carry
    /// scripts) is not kept.
    private static func isPlausibleMediaType(_ text: String) -> Bool {
        ["image/jpeg", "image/jpg", "image/png", "image/gif", "image/webp", "image/bmp"].contains(text)
    }
}
