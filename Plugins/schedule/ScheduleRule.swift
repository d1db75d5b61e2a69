/// A window of the day, in minutes since midnight: `start` included, `end` excluded ("07:00-19:00" lets
/// 18:59 in and keeps 19:00 out; "00:00-24:00" is the whole day).
struct AccessWindow: Equatable {
    let start: Int
    let end: Int

    func contains(minuteOfDay: Int) -> Bool {
        minuteOfDay >= start && minuteOfDay < end
    }
}

/// What the schedule says about one person at one moment.
enum ScheduleVerdict: Equatable {
    /// The person is in a group with a window open now.
    case inside
    /// The person is in at least one group, and none of their groups has a window open now.
    case outside
    /// The person is in no group.
    case unknownPerson
}

/// Who may pass when: each person's weekly windows, merged over all the groups they belong to.
struct ScheduleRule {
    /// Per enrollid, seven lists of windows indexed by weekday (0 Sunday .. 6 Saturday).
    let windowsByPerson: [Int64: [[AccessWindow]]]

    /// What the person gets on `weekday` (0 Sunday .. 6 Saturday) at `minuteOfDay` (0 ..< 1440).
    func verdict(enrollid: Int64, weekday: Int, minuteOfDay: Int) -> ScheduleVerdict {
        guard let week = windowsByPerson[enrollid] else {
            return .unknownPerson
        }
        guard week.indices.contains(weekday) else {
            return .outside
        }
        let open = week[weekday].contains { $0.contains(minuteOfDay: minuteOfDay) }
        return open ? .inside : .outside
    }
}
