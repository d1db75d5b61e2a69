import CatracaCore
import Foundation

/// An emulated terminal's clock: the real clock plus an offset that `settime` moves.
///
/// Times are read and written in the site's local time, `YYYY-MM-DD HH:MM:SS`, as terminals show them.
public struct TerminalClock: Sendable {
    public let siteTime: SiteTime
    /// Seconds the terminal's clock is ahead of the real clock (negative: behind).
    public var offset: TimeInterval = 0

    public init(siteTime: SiteTime = SiteTime()) {
        self.siteTime = siteTime
    }

    /// The terminal's time when the real clock reads `now`.
    public func time(at now: Date) -> String {
        siteTime.format(now.addingTimeInterval(offset))
    }

    /// Sets the clock so that it reads `text` at `now`; false (clock unchanged) when `text` is not a
    /// `YYYY-MM-DD HH:MM:SS` time.
    public mutating func set(to text: String, at now: Date) -> Bool {
        guard let date = parse(text) else { return false }
        offset = date.timeIntervalSince(now).rounded()
        return true
    }

    /// `text` as a moment, read in the site's time zone; nil unless it is exactly `YYYY-MM-DD HH:MM:SS`.
    public func parse(_ text: String) -> Date? {
        guard TerminalClock.isTime(text) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = siteTime.timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.isLenient = false
        return formatter.date(from: text)
    }

    /// Whether `text` has the shape `YYYY-MM-DD HH:MM:SS` (digits where digits belong).
    public static func isTime(_ text: String) -> Bool {
        matches(text, pattern: "dddd-dd-dd dd:dd:dd")
    }

    /// Whether `text` has the shape `YYYY-MM-DD`.
    public static func isDate(_ text: String) -> Bool {
        matches(text, pattern: "dddd-dd-dd")
    }

    private static func matches(_ text: String, pattern: String) -> Bool {
        let characters = Array(text.utf8)
        let shape = Array(pattern.utf8)
        guard characters.count == shape.count else { return false }
        return zip(characters, shape).allSatisfy { character, expected in
            expected == UInt8(ascii: "d") ? (0x30...0x39).contains(character) : character == expected
        }
    }
}
