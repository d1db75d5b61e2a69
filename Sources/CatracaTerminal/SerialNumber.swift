/// What the daemon accepts as a terminal's serial number.
///
/// Terminals send short alphanumeric serial numbers (`ABCD12345678`). The number ends up in logs,
/// the store, exports and the operators' listings, and any device on the LAN can send any value, so
/// anything else — megabytes of text, control characters, spaces — is refused rather than carried.
public enum SerialNumber {
    /// The longest serial number accepted, in bytes.
    public static let maxLength = 64

    /// Printable ASCII without spaces, 1 to `maxLength` characters.
    public static func isValid(_ text: String) -> Bool {
        let bytes = text.utf8
        return !bytes.isEmpty && bytes.count <= maxLength && bytes.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// A refused value as it may appear in a log line: cut short, so that a huge value cannot flood the log.
    static func shown(_ text: String) -> String {
        text.utf8.count <= maxLength ? text : String(text.prefix(maxLength)) + "…(\(text.utf8.count) bytes)"
    }
}
