import Foundation

/// Formats wall-clock time the way terminals read it: the site's local time as `YYYY-MM-DD HH:MM:SS`.
///
/// Terminals set their own clock from `cloudtime`; an ISO/UTC form (`…T…Z`) would leave them hours
/// off, so this is the only form the daemon sends.
public struct SiteTime: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    /// - Parameter timeZone: the site's time zone; `TimeZone.current` when the config names none.
    public init(timeZone: TimeZone = .current) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// Looks up a time zone by its IANA name, e.g. `America/Sao_Paulo`.
    public init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.init(timeZone: zone)
    }

    /// `date` in the site's local time, e.g. `2023-12-23 13:49:30`.
    public func format(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return SiteTime.render(
            year: parts.year!, month: parts.month!, day: parts.day!,
            hour: parts.hour!, minute: parts.minute!, second: parts.second!
        )
    }

    static func render(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(hour)):\(two(minute)):\(two(second))"
    }
}
