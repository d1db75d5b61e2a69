/// Dates and times in operator params, read into the canonical forms the terminals take.
enum OperatorTime {
    /// `YYYY-MM-DD` (single-digit month and day accepted), canonical; nil when it is not a real date.
    static func date(_ text: String) -> String? {
        guard !text.contains(" "), !text.contains("T"),
              let time = RecordTime.canonical(text + " 00:00:00") else { return nil }
        return String(time.prefix(10))
    }

    /// `YYYY-MM-DD HH:MM:SS` (a `T` separator and single digits accepted), canonical; nil when it is not one.
    static func dateTime(_ text: String) -> String? {
        RecordTime.canonical(text)
    }
}
