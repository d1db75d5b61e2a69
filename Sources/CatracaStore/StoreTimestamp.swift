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

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
