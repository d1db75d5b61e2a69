#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The plugin's settings as written in the config file (plugins.settings.schedule):
///
///     {"groups": {"staff": {"enrollids": [1, 2, 3],
///                           "windows": {"mon": ["07:00-19:00"], "sat": ["08:00-12:00", "13:00-17:00"]}}},
///      "default": "deny"}
///
/// A weekday without a key has no window. `default` says what a person in no group gets: "deny" (refused
/// with "Outside your schedule") or "abstain" (the default: no opinion, the next plugin or the site decides).
struct ScheduleSettings: Decodable {
    struct Group: Decodable {
        let enrollids: [Int64]
        let windows: [String: [String]]
    }

    let groups: [String: Group]
    let `default`: String?
}

/// A settings mistake, said so that the operator can find and fix it in the config file.
struct ScheduleSettingsError: Error, CustomStringConvertible {
    let description: String
}

extension ScheduleSettings {
    static let weekdayKeys = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// Decodes the settings object text handed over by the host.
    static func decode(_ text: String) throws -> ScheduleSettings {
        do {
            return try JSONDecoder().decode(ScheduleSettings.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw ScheduleSettingsError(description: "schedule settings: \(Self.describe(error))")
        }
    }

    /// Whether people in no group are refused (`true`) or get no opinion (`false`).
    func deniesUnknownPeople() throws -> Bool {
        switch self.default ?? "abstain" {
        case "deny":
            return true
        case "abstain":
            return false
        case let other:
            throw ScheduleSettingsError(
                description: "schedule settings: \"default\" is \"\(other)\"; use \"deny\" or \"abstain\"")
        }
    }

    /// The rule the settings describe, every window checked.
    func rule() throws -> ScheduleRule {
        var windowsByPerson: [Int64: [[AccessWindow]]] = [:]
        for (name, group) in groups.sorted(by: { $0.key < $1.key }) {
            let week = try Self.week(of: group, named: name)
            for enrollid in group.enrollids {
                let merged = windowsByPerson[enrollid] ?? Array(repeating: [], count: 7)
                windowsByPerson[enrollid] = zip(merged, week).map { $0 + $1 }
            }
        }
        return ScheduleRule(windowsByPerson: windowsByPerson)
    }

    private static func week(of group: Group, named name: String) throws -> [[AccessWindow]] {
        var week: [[AccessWindow]] = Array(repeating: [], count: 7)
        for (day, texts) in group.windows {
            guard let weekday = weekdayKeys.firstIndex(of: day) else {
                throw ScheduleSettingsError(
                    description: "schedule settings: groups.\(name).windows has the key \"\(day)\"; "
                        + "use sun, mon, tue, wed, thu, fri or sat")
            }
            week[weekday] = try texts.map { try window(from: $0, at: "groups.\(name).windows.\(day)") }
        }
        return week
    }

    /// Reads "HH:MM-HH:MM". A window crossing midnight is refused: write it as two, one on each day.
    static func window(from text: String, at path: String) throws -> AccessWindow {
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let start = minuteOfDay(bounds[0]), let end = minuteOfDay(bounds[1]),
              start < end
        else {
            throw ScheduleSettingsError(
                description: "schedule settings: \(path) has \"\(text)\"; write \"HH:MM-HH:MM\" with the start "
                    + "before the end (24:00 ends a day; split a window across midnight into one on each day)")
        }
        return AccessWindow(start: start, end: end)
    }

    /// "HH:MM" as minutes since midnight, 00:00 through 24:00; nil for anything else.
    static func minuteOfDay(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let isTwoDigits = { (part: Substring) in
            part.utf8.count == 2 && part.utf8.allSatisfy { (48...57).contains($0) }
        }
        guard parts.count == 2, isTwoDigits(parts[0]), isTwoDigits(parts[1]),
              let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0...24).contains(hours), (0..<60).contains(minutes)
        else {
            return nil
        }
        let minute = hours * 60 + minutes
        return minute <= 24 * 60 ? minute : nil
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
             .dataCorrupted(let context):
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            let location = path.isEmpty ? "" : "at \(path.joined(separator: ".")): "
            return location + context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }
}
