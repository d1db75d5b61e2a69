import CatracaJSON
import Foundation

/// The `record` sent with a `backupnum` in setuserinfo: a face photo, a fingerprint template, a password or a card.
public struct CredentialData: Equatable, Sendable {
    /// The slot the data goes into.
    public var slot: CredentialSlot
    /// The data as sent: base64 text for a face or fingerprint, a number for a password or card.
    public var record: JSONValue

    public init(slot: CredentialSlot, record: JSONValue) {
        self.slot = slot
        self.record = record
    }

    /// Reads `record` for `slot`; both or neither must be given.
    static func read(_ params: OperatorParams,
                     slot: CredentialSlot?) throws(CommandValidationError) -> CredentialData? {
        let value = params.value("record")
        guard let slot else {
            guard value == nil else {
                throw params.error("record", "needs backupnum to say which credential it is")
            }
            return nil
        }
        let record = try params.required("record", value, because: "with backupnum \(slot.backupnum)")
        let field = params.path("record")

        switch slot {
        case .password:
            let digits = try OperatorParams.digits(record, maxCount: CommandLimits.maxPasswordDigits, field: field)
            return CredentialData(slot: slot, record: JSONValue.digits(digits)!)
        case .card:
            let digits = try OperatorParams.digits(record, maxCount: CommandLimits.maxCardDigits, field: field)
            return CredentialData(slot: slot, record: JSONValue.digits(digits)!)
        case .face, .fingerprint, .palm, .wholeUser:
            let text = try Base64Payload.check(record, field: field, maxBytes: CommandLimits.maxPhotoBytes)
            return CredentialData(slot: slot, record: .string(text))
        }
    }
}

/// Base64 data an operator sends (a photo, a template): it must decode, and not be larger than a limit.
enum Base64Payload {
    /// The base64 text of `value` without blanks and line breaks (as `base64` wraps it), checked to decode to
    /// at most `maxBytes` bytes.
    static func check(_ value: JSONValue, field: String, maxBytes: Int) throws(CommandValidationError) -> String {
        guard case .string(let raw) = value else {
            throw CommandValidationError(field: field, message: "\(Shown(value)) is not base64 text")
        }
        let text = String(raw.unicodeScalars.filter { !" \t\r\n".unicodeScalars.contains($0) })
        guard !text.isEmpty else { throw CommandValidationError(field: field, message: "is empty") }

        // Four base64 characters carry three bytes: a text this long cannot fit, so it is not decoded at all.
        let mostBytes = text.utf8.count / 4 * 3
        if mostBytes > maxBytes + 2 {
            throw CommandValidationError(field: field, message: tooLarge(atLeast: mostBytes - 2, maxBytes))
        }
        guard let data = Data(base64Encoded: text) else {
            let hint = raw.hasPrefix("data:") ? "; send only the base64 text after the comma of the data: URL" : ""
            throw CommandValidationError(field: field, message: "is not valid base64\(hint)")
        }
        guard data.count <= maxBytes else {
            throw CommandValidationError(field: field, message: tooLarge(atLeast: data.count, maxBytes))
        }
        return text
    }

    private static func tooLarge(atLeast bytes: Int, _ maxBytes: Int) -> String {
        "decodes to \(bytes) bytes; at most \(maxBytes) are allowed (scale the image down)"
    }
}
