import CatracaCore
import Foundation

/// Reads a `Retry-After` header (RFC 9110 section 10.2.3): delay seconds, or an HTTP date.
public enum RetryAfter {
    /// The wait `value` asks for, counted from `now`; nil when it is neither form. A date in the past is zero.
    public static func parse(_ value: String, now: Date) -> TimeSpan? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            return .seconds(Double(text) ?? 0)
        }
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                return .seconds(max(0, date.timeIntervalSince(now)))
            }
        }
        return nil
    }

    /// IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must still accept.
    private static let formats = ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz",
                                  "EEE MMM d HH:mm:ss yyyy"]
}
