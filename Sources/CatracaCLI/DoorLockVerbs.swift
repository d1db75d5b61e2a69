import CatracaJSON

/// Verbs about the door and alarm settings and the day/week time zones (setdevlock/getdevlock).
enum DoorLockVerbs {
    static let numericFlags: [(flag: CLIFlag, field: String)] = [
        (CLIFlag("--open-delay", "SECONDS"), "opendelay"), (CLIFlag("--alarm-delay", "SECONDS"), "alarmdelay"),
        (CLIFlag("--input-alarm", "N"), "inputalarm"), (CLIFlag("--multi-open", "N"), "multiopen"),
        (CLIFlag("--try-alarm", "N"), "tryalarm"), (CLIFlag("--wiegand", "26|34"), "wgformat"),
        (CLIFlag("--wiegand-output", "0|1|2"), "wgoutput"), (CLIFlag("--access-times", "N"), "access_times"),
    ]

    static let choiceFlags: [(flag: CLIFlag, field: String, choices: [(String, Int)])] = [
        (CLIFlag("--door-sensor", "off|nc|no"), "doorsensor", [("off", 0), ("nc", 1), ("no", 2)]),
        (CLIFlag("--threat", "off|open-alarm|alarm|open"), "threat",
         [("off", 0), ("open-alarm", 1), ("alarm", 2), ("open", 3)]),
        (CLIFlag("--anti-passback", "off|inside|outside"), "antpass", [("off", 0), ("inside", 1), ("outside", 2)]),
        (CLIFlag("--interlock", "on|off"), "interlock", [("off", 0), ("on", 1)]),
        (CLIFlag("--tamper", "on|off"), "tamper", [("off", 0), ("on", 1)]),
        (CLIFlag("--card-output", "on|off"), "cardoutput", [("off", 0), ("on", 1)]),
    ]

    static let zoneFlags = [CLIFlag("--day-zone", "\"HH:MM~HH:MM,...\""), CLIFlag("--week-zone", "\"D,D,D,D,D,D,D\"")]

    static let all: [Verb] = [
        Verb(["door-lock"], summary: "shows the door, alarm and time-zone settings", details: "sends getdevlock") {
            _ in .command("getdevlock")
        },
        Verb(["door-lock", "set"], flags: numericFlags.map(\.flag) + choiceFlags.map(\.flag) + zoneFlags,
             repeatable: ["--day-zone", "--week-zone"], summary: "changes door, alarm and time-zone settings",
             details: """
                 sends one setdevlock with the fields given: --open-delay opendelay, --door-sensor doorsensor
                 (off 0, nc 1, no 2), --alarm-delay alarmdelay (0 off, 1-255 s), --threat threat (off 0,
                 open-alarm 1, alarm 2, open 3), --input-alarm inputalarm, --anti-passback antpass (off 0,
                 inside 1, outside 2), --interlock interlock, --multi-open multiopen (0 off, 1-4 people),
                 --try-alarm tryalarm (0 off, 1-10), --tamper tamper, --wiegand wgformat (26|34),
                 --wiegand-output wgoutput (0 enrollid, 1 1+enrollid, 2 deviceid+enrollid), --card-output
                 cardoutput, --access-times access_times.
                 --day-zone (repeat for day zones 1, 2, ... up to 8): up to 5 sections "HH:MM~HH:MM" separated
                 by commas, sent as dayzone [{"day": [{"section": ...}, ...]}, ...]; "00:01~23:59" is the
                 whole day, "00:00~00:00" none of it.
                 --week-zone (repeat for week zones 1, 2, ... up to 8): 7 day-zone numbers, Sunday first,
                 sent as weekzone [{"week": [{"day": D}, ... x7]}, ...]
                 """, build: set),
    ]

    @Sendable static func set(_ input: VerbInput) throws -> VerbPlan {
        var params = JSONObject()
        for (flag, field) in numericFlags { params.set(field, try input.integer(flag.name)) }
        for (flag, field, choices) in choiceFlags { params.set(field, try input.choice(flag.name, choices)) }
        let dayZones = input.options.values("--day-zone")
        if !dayZones.isEmpty { params["dayzone"] = .array(dayZones.map(dayZone)) }
        let weekZones = input.options.values("--week-zone")
        if !weekZones.isEmpty { params["weekzone"] = .array(try weekZones.map { try weekZone($0, input) }) }
        guard !params.isEmpty else { throw input.usage("door-lock set needs at least one setting flag") }
        return .command("setdevlock", params)
    }

    /// `"07:00~12:00,13:00~18:00"` → `{"day": [{"section": "07:00~12:00"}, {"section": "13:00~18:00"}]}`;
    /// the daemon checks the sections.
    static func dayZone(_ text: String) -> JSONValue {
        let sections = text.split(separator: ",").map { section -> JSONValue in
            ["section": .string(section.trimmingCharacters(in: " "))]
        }
        return ["day": .array(sections)]
    }

    /// `"1,1,1,1,1,1,1"` → `{"week": [{"day": 1}, ...]}`; the daemon checks the count and the day zones named.
    static func weekZone(_ text: String, _ input: VerbInput) throws -> JSONValue {
        let days = try text.split(separator: ",").map { part -> JSONValue in
            let trimmed = part.trimmingCharacters(in: " ")
            guard let day = Int(trimmed) else {
                throw input.usage("--week-zone \"\(text)\": \"\(trimmed)\" is not a day-zone number")
            }
            return ["day": .integer(day)]
        }
        return ["week": .array(days)]
    }
}

extension Substring {
    func trimmingCharacters(in character: Character) -> String {
        var text = self
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}
