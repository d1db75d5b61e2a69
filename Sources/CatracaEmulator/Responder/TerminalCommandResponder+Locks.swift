import CatracaJSON

/// Door lock settings and user locks: setdevlock, getdevlock, getuserlock, setuserlock,
/// deleteuserlock, cleanuserlock.
extension TerminalCommandResponder {
    /// Sets the fields sent (any subset). `mutiopen` or `multiopen`; `InputAlarm` in any case;
    /// `wgformat` 0/1 (or 26/34). A `dayzone` list replaces every day profile, a `weekzone` list every
    /// week profile (stored as sent, fewer than 7 days allowed); a week naming a day profile that does
    /// not exist is refused. Everything is checked before anything changes.
    func setDoorLock(_ fields: CommandFields) throws -> JSONObject {
        var lock = state.doorLock
        if let value = try fields.int("opendelay", in: 0...255) { lock.opendelay = value }
        if let value = try fields.int("doorsensor", in: 0...2) { lock.doorsensor = value }
        if let value = try fields.int("alarmdelay", in: 0...255) { lock.alarmdelay = value }
        if let value = try fields.int("threat", in: 0...3) { lock.threat = value }
        if let value = try fields.int("inputalarm", in: 0...2) { lock.inputalarm = value }
        if let value = try fields.int("antpass", in: 0...2) { lock.antpass = value }
        if let value = try fields.int("interlock", in: 0...1) { lock.interlock = value }
        if let value = try fields.int("mutiopen", "multiopen", in: 0...4) { lock.multiopen = value }
        if let value = try fields.int("tryalarm", in: 0...10) { lock.tryalarm = value }
        if let value = try fields.int("tamper", in: 0...1) { lock.tamper = value }
        if let value = try fields.int("wgformat") { lock.wiegandBits = try wiegandBits(value) }
        if let value = try fields.int("wgoutput", in: 0...2) { lock.wgoutput = value }
        if let value = try fields.int("cardoutput", in: 0...1) { lock.cardoutput = value }
        if let value = try fields.int("access_times", in: 0...999_999) { lock.accessTimes = value }
        if let days = try fields.array("dayzone") { lock.dayzones = try dayZones(days) }
        if let weeks = try fields.array("weekzone") { lock.weekzones = try weekZones(weeks) }
        for (index, week) in lock.weekzones.enumerated() {
            if let day = week.first(where: { $0 > lock.dayzones.count }) {
                throw CommandRefusal.invalid("weekzone \(index + 1): day profile \(day) does not exist")
            }
        }
        state.doorLock = lock
        return [:]
    }

    private func wiegandBits(_ value: Int) throws -> Int {
        switch value {
        case 0, 26: return 26
        case 1, 34: return 34
        default: throw CommandRefusal.invalid("wgformat: \(value) is neither 0 (26 bit) nor 1 (34 bit)")
        }
    }

    private func dayZones(_ days: [JSONValue]) throws -> [[String]] {
        guard days.count <= 8 else {
            throw CommandRefusal.invalid("dayzone: \(days.count) day profiles, at most 8")
        }
        return try days.enumerated().map { index, day in
            guard let sections = day["day"]?.array, sections.count <= 5 else {
                throw CommandRefusal.invalid("dayzone \(index + 1): expected {\"day\": [up to 5 sections]}")
            }
            return try sections.map { entry in
                guard let section = entry["section"]?.string, TerminalCommandResponder.isSection(section) else {
                    throw CommandRefusal.invalid(
                        "dayzone \(index + 1): \(entry) is not {\"section\":\"HH:MM~HH:MM\"}")
                }
                return section
            }
        }
    }

    private func weekZones(_ weeks: [JSONValue]) throws -> [[Int]] {
        guard weeks.count <= 8 else {
            throw CommandRefusal.invalid("weekzone: \(weeks.count) week profiles, at most 8")
        }
        return try weeks.enumerated().map { index, week in
            guard let days = week["week"]?.array, days.count <= 7 else {
                throw CommandRefusal.invalid("weekzone \(index + 1): expected {\"week\": [up to 7 days]}")
            }
            return try days.map { entry in
                guard let day = entry["day"]?.int, (0...8).contains(day) else {
                    throw CommandRefusal.invalid("weekzone \(index + 1): \(entry) is not {\"day\": 0-8}")
                }
                return day
            }
        }
    }

    /// `HH:MM~HH:MM` with hours 00–23 and minutes 00–59.
    static func isSection(_ text: String) -> Bool {
        let parts = text.split(separator: "~", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { part in
            let clock = part.split(separator: ":", omittingEmptySubsequences: false)
            guard clock.count == 2, clock.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let hour = Int(clock[0]), let minute = Int(clock[1]) else { return false }
            return (0...23).contains(hour) && (0...59).contains(minute)
        }
    }

    func doorLock() -> JSONObject {
        TerminalState.snapshot(of: state.doorLock).object ?? [:]
    }

    /// Refused when the user has no lock.
    func userLock(_ fields: CommandFields) throws -> JSONObject {
        let enrollid = try fields.enrollid()
        guard let lock = state.userLocks[enrollid] else { throw CommandRefusal.invalid("user \(enrollid) has no lock") }
        return TerminalState.snapshot(of: lock).object ?? [:]
    }

    /// Binds each listed user (who must exist) to a week profile 0–8; all or nothing.
    func setUserLocks(_ fields: CommandFields) throws -> JSONObject {
        guard let entries = try fields.array("record") else { throw CommandRefusal.invalid("record is missing") }
        var locks: [UserLock] = []
        for entry in entries {
            guard let object = entry.object else { throw CommandRefusal.invalid("record: \(entry) is not an object") }
            let item = CommandFields(object)
            let user = try existingUser(try item.enrollid())
            locks.append(UserLock(enrollid: user.enrollid, weekzone: try item.requiredInt("weekzone", in: 0...8),
                                  group: try item.int("group", in: 0...999_999) ?? 0,
                                  starttime: try item.time("starttime"), endtime: try item.time("endtime")))
        }
        for lock in locks { state.userLocks[lock.enrollid] = lock }
        return [:]
    }

    /// Refused for an unknown user; succeeds when the user had no lock.
    func deleteUserLock(_ fields: CommandFields) throws -> JSONObject {
        let user = try existingUser(try fields.enrollid())
        state.userLocks[user.enrollid] = nil
        return [:]
    }

    func cleanUserLocks() -> JSONObject {
        state.userLocks = [:]
        return [:]
    }
}
