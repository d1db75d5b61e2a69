#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The store's wall-clock timestamps: UTC ISO-8601 with milliseconds, `2023-12-23T16:49:30.123Z`.
///
/// Fixed width, so text comparison orders them in time (photo retention relies on this). Formatted with
/// `gmtime_r` rather than a `DateFormatter`, which is slow and not meant to be shared across threads.
public enum StoreTimestamp {
    public static func format(_ date: Date) -> String {
        let totalMillis = Int64((date.timeIntervalSince1970 * 1_000).rounded(.down))
        var seconds = time_t(totalMillis >= 0 ? totalMillis / 1_000 : (totalMillis - 999) / 1_000)
        let millis = Int(totalMillis - Int64(seconds) * 1_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let day = pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-"
            + pad(Int(parts.tm_mday), 2)
        let time = pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
        return day + "T" + time + "." + pad(millis, 3) + "Z"
    }

    /// Reads a timestamp `format` wrote; nil for any other text.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[19] == UInt8(ascii: "."), bytes[23] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              let millis = number(20..<23) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds) + Double(millis) / 1_000)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
