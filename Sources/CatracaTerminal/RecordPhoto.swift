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
        return Photo(mediaType: mediaType ?? "image/jpeg", bytes: [UInt8](data))
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

    /// `type/subtype` of a few dozen letters, digits and `.+-` at most; anything else is not kept, so a
    /// terminal cannot store arbitrary text as a media type.
    private static func isPlausibleMediaType(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.+-")
        return parts.count == 2 && text.count <= 64
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { allowed.contains($0) } }
    }
}
