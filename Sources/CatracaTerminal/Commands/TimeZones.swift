import CatracaJSON

/// One allowed stretch of a day, `HH:MM~HH:MM`. `00:01~23:59` allows the whole day, `00:00~00:00` blocks it.
///
/// The start may not be after the end: the protocol does not say whether a section may run past midnight,
/// so a night shift is written as two sections (`22:00~23:59` and `00:00~06:00`) in the day profile.
public struct TimeSection: Equatable, Sendable {
    /// Minutes since midnight.
    public var start: Int
    /// Minutes since midnight, not before `start`.
    public var end: Int

    /// Reads `HH:MM~HH:MM` (two digits each); nil when it is not two valid clock times in order.
    public init?(text: String) {
        let halves = text.split(separator: "~", omittingEmptySubsequences: false)
        guard halves.count == 2, let start = TimeSection.minutes(halves[0]), let end = TimeSection.minutes(halves[1]),
              start <= end else { return nil }
        self.start = start
        self.end = end
    }

    /// `HH:MM~HH:MM`.
    public var text: String { TimeSection.clock(start) + "~" + TimeSection.clock(end) }

    /// `HH:MM` as minutes since midnight.
    static func minutes(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60 else { return nil }
        return hour * 60 + minute
    }

    static func clock(_ minutes: Int) -> String {
        let (hour, minute) = (minutes / 60, minutes % 60)
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}

/// A day profile: up to 5 sections. Profiles are numbered 1.. in the order they are sent.
public struct DayZone: Equatable, Sendable {
    public static let maxSections = 5
    public static let maxCount = 8

    public var sections: [TimeSection]

    public init(sections: [TimeSection]) {
        self.sections = sections
    }

    /// `{"day":[{"section":"HH:MM~HH:MM"}...]}`.
    var json: JSONValue {
        ["day": .array(sections.map { ["section": .string($0.text)] })]
    }
}

/// A week profile: the day profile of each day, Sunday to Saturday. Profiles are numbered 1.. in order.
public struct WeekZone: Equatable, Sendable {
    public static let maxCount = 8

    /// Seven day profile numbers, Sunday first.
    public var days: [Int]

    public init(days: [Int]) {
        self.days = days
    }

    /// `{"week":[{"day":D} x7]}`.
    var json: JSONValue {
        ["week": .array(days.map { ["day": .integer($0)] })]
    }
}

/// Reads `dayzone` and `weekzone` from operator params.
///
/// Rule for the day numbers of a week profile: when `dayzone` is sent with it, each day must name one of the
/// profiles sent (1..their count); when it is not, the terminal's own profiles are used, and any number 0-8 is
/// taken (the daemon cannot know which the terminal holds). Every week profile names exactly 7 days: the
/// protocol's short example with one day leaves the other six to whatever the terminal makes of them.
enum TimeZoneParams {
    static func dayZones(_ params: OperatorParams) throws(CommandValidationError) -> [DayZone]? {
        guard let list = try params.array("dayzone") else { return nil }
        guard list.count <= DayZone.maxCount else {
            throw params.error("dayzone", "has \(list.count) day profiles; at most \(DayZone.maxCount)")
        }

        var zones: [DayZone] = []
        for (index, value) in list.enumerated() {
            let path = params.path("dayzone") + "[\(index)]"
            let entry = try OperatorParams(entry: value, fields: ["day"], at: path)
            let sections = try entry.required("day", entry.array("day"), because: "(a list of {section})")
            guard (1...DayZone.maxSections).contains(sections.count) else {
                throw entry.error("day", "has \(sections.count) sections; 1 to \(DayZone.maxSections) are allowed")
            }
            var read: [TimeSection] = []
            for (number, value) in sections.enumerated() {
                read.append(try section(value, at: entry.path("day") + "[\(number)]"))
            }
            zones.append(DayZone(sections: read))
        }
        return zones
    }

    static func weekZones(_ params: OperatorParams, dayZoneCount: Int?) throws(CommandValidationError) -> [WeekZone]? {
        guard let list = try params.array("weekzone") else { return nil }
        guard list.count <= WeekZone.maxCount else {
            throw params.error("weekzone", "has \(list.count) week profiles; at most \(WeekZone.maxCount)")
        }
        let dayRule: IntegerRule = dayZoneCount.map {
            .range(1...max($0, 1), "a day profile of the \($0) sent in dayzone")
        } ?? .range(0...DayZone.maxCount, "a day profile number")

        var zones: [WeekZone] = []
        for (index, value) in list.enumerated() {
            let entry = try OperatorParams(entry: value, fields: ["week"], at: params.path("weekzone") + "[\(index)]")
            let days = try entry.required("week", entry.array("week"), because: "(7 entries {day}, Sunday first)")
            guard days.count == 7 else {
                throw entry.error("week", "has \(days.count) days; a week profile names 7, Sunday to Saturday")
            }
            var numbers: [Int] = []
            for (number, day) in days.enumerated() {
                let dayEntry = try OperatorParams(entry: day, fields: ["day"], at: entry.path("week") + "[\(number)]")
                numbers.append(try dayEntry.required("day", dayEntry.integer("day", dayRule)))
            }
            zones.append(WeekZone(days: numbers))
        }
        return zones
    }

    private static func section(_ value: JSONValue, at path: String) throws(CommandValidationError) -> TimeSection {
        let entry = try OperatorParams(entry: value, fields: ["section"], at: path)
        let text = try entry.required("section", entry.text("section"), because: "(HH:MM~HH:MM)")
        guard let section = TimeSection(text: text) else {
            throw entry.error("section", "\"\(text)\" is not HH:MM~HH:MM with valid clock times, start not after end")
        }
        return section
    }
}
