/// The spellings terminals use for some fields, and the canonical spelling an operator sees and writes.
///
/// From the list at the end of the protocol file. `mutiopen` is also what setdevlock must send; `tittle` and
/// `Schedules` are what setquestionnaire sends (the vendor's own example uses them).
enum VendorSpelling {
    /// Vendor spelling -> canonical spelling.
    static let canonical: [String: String] = [
        "departmant": "department",
        "tittle": "title",
        "Schedules": "schedules",
        "InputAlarm": "inputalarm",
        "mutiopen": "multiopen",
        "reson": "reason",
        "text _color": "text_color",
    ]
}
