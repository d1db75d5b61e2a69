#if canImport(Glibc)
import Glibc
#endif
import CatracaJSON
import Foundation

/// Makes the records an emulated terminal pushes: deterministic, so a test knows what must be stored.
///
/// Record `i` of a terminal has enrollid `i % 1000 + 1` and the terminal time `first + i` seconds;
/// every record of one terminal is therefore a distinct record for the store.
public struct RecordGenerator: Sendable {
    public let firstTime: Date
    public let photo: String?

    public init(firstTime: String, photoBytes: Int) {
        self.firstTime = RecordGenerator.parse(firstTime) ?? Date(timeIntervalSince1970: 1_704_096_000)
        self.photo = photoBytes > 0 ? RecordGenerator.photoText(bytes: photoBytes) : nil
    }

    /// The `record` array entries for records `range`.
    public func records(_ range: Range<Int>) -> [JSONValue] {
        range.map { index in
            var record: JSONObject = [
                "enrollid": .number(JSONNumber(index % 1000 + 1)),
                "time": .string(time(of: index)),
                "mode": 8, "inout": 0, "event": 0, "verifymode": 13, "temp": .number(JSONNumber(text: "36.5")!),
            ]
            if let photo { record["image"] = .string(photo) }
            return .object(record)
        }
    }

    public func time(of index: Int) -> String {
        var seconds = time_t(firstTime.timeIntervalSince1970) + time_t(index)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
            + " \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }

    private static let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter
    }()

    private static func parse(_ text: String) -> Date? { formatter.date(from: text) }

    /// Whether `text` is a terminal time the generator can start from (`YYYY-MM-DD HH:MM:SS`).
    public static func isRecordTime(_ text: String) -> Bool { parse(text) != nil }

    /// A base64 JPEG-looking payload of about `bytes` decoded bytes, with the prefix some firmwares add.
    private static func photoText(bytes: Int) -> String {
        var data = [UInt8](repeating: 0, count: bytes)
        data[0] = 0xFF
        if bytes > 1 { data[1] = 0xD8 }
        for index in 2..<max(2, bytes) { data[index] = UInt8(truncatingIfNeeded: index &* 31) }
        return "data:image/jpeg;base64," + Data(data).base64EncodedString()
    }
}
