import CatracaJSON

/// The door, alarm and time-zone settings of `setdevlock` and `getdevlock`.
///
/// `opendelay` and `access_times` have no range in the protocol; this daemon takes 0-255 s and 0-2^31-1.
public struct DeviceLock: Equatable, Sendable {
    /// Door open time, seconds.
    public var opendelay: Int?
    /// 0 off, 1 normally closed, 2 normally open.
    public var doorsensor: Int?
    /// Door-open alarm after 1-255 s, 0 off.
    public var alarmdelay: Int?
    /// Duress: 0 off, 1 open with alarm, 2 alarm only, 3 open only.
    public var threat: Int?
    /// 0 off, 1/2 alarm output.
    public var inputalarm: Int?
    /// Anti-passback: 0 off, 1 master inside, 2 master outside.
    public var antpass: Int?
    public var interlock: Int?
    /// People needed together: 0 off, 1-4. Sent as `mutiopen`.
    public var multiopen: Int?
    /// Alarm after N failed recognitions, 1-10, 0 off.
    public var tryalarm: Int?
    public var tamper: Int?
    /// Wiegand format, 26 or 34 bits; sent as 0 (26) or 1 (34), reported as 26/34.
    public var wiegandBits: Int?
    /// 0 enrollid, 1 1+enrollid, 2 deviceid+enrollid.
    public var wgoutput: Int?
    public var cardoutput: Int?
    public var accessTimes: Int?
    public var dayZones: [DayZone]?
    public var weekZones: [WeekZone]?

    public init() {}

    static let fieldNames = [
        "opendelay", "doorsensor", "alarmdelay", "threat", "inputalarm", "antpass", "interlock", "multiopen",
        "tryalarm", "tamper", "wgformat", "wgoutput", "cardoutput", "access_times", "dayzone", "weekzone",
    ]

    /// Reads operator params: any subset of the fields, at least one.
    init(params object: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(object, fields: DeviceLock.fieldNames)
        guard !params.isEmpty else {
            throw CommandValidationError(field: "params", message: "give at least one of "
                + DeviceLock.fieldNames.joined(separator: ", "))
        }
        opendelay = try params.integer("opendelay", .range(0...255, "seconds the door stays open"))
        doorsensor = try params.integer("doorsensor", .range(0...2, "0 off, 1 normally closed, 2 normally open"))
        alarmdelay = try params.integer("alarmdelay", .range(0...255, "seconds before the door-open alarm, 0 off"))
        threat = try params.integer("threat", .range(0...3, "0 off, 1 open with alarm, 2 alarm only, 3 open only"))
        inputalarm = try params.integer("inputalarm", .range(0...2, "0 off, 1 or 2 the alarm output"))
        antpass = try params.integer("antpass", .range(0...2, "0 off, 1 master inside, 2 master outside"))
        interlock = try params.flag("interlock")
        multiopen = try params.integer("multiopen", .range(0...4, "people needed together, 0 off"))
        tryalarm = try params.integer("tryalarm", .range(0...10, "failed recognitions before the alarm, 0 off"))
        tamper = try params.flag("tamper")
        wiegandBits = try params.integer("wgformat", .values([0, 1, 26, 34], "a Wiegand format (26 or 34, or 0/1)"))
            .map { $0 == 1 || $0 == 34 ? 34 : 26 }
        wgoutput = try params.integer("wgoutput", .range(0...2, "0 enrollid, 1 1+enrollid, 2 deviceid+enrollid"))
        cardoutput = try params.flag("cardoutput")
        accessTimes = try params.integer("access_times", .count)
        dayZones = try TimeZoneParams.dayZones(params)
        weekZones = try TimeZoneParams.weekZones(params, dayZoneCount: dayZones?.count)
    }

    /// Reads a getdevlock (or setdevlock) reply leniently: vendor spellings, numbers as strings; what cannot be
    /// read is left nil (it stays in the normalized reply as it came).
    public init(reply: JSONObject) {
        func integer(_ key: String) -> Int? { reply.value(forKeyIgnoringCase: key)?.int }
        opendelay = integer("opendelay")
        doorsensor = integer("doorsensor")
        alarmdelay = integer("alarmdelay")
        threat = integer("threat")
        inputalarm = integer("inputalarm")
        antpass = integer("antpass")
        interlock = integer("interlock")
        multiopen = integer("multiopen") ?? integer("mutiopen")
        tryalarm = integer("tryalarm")
        tamper = integer("tamper")
        wiegandBits = integer("wgformat").map { $0 == 1 || $0 == 34 ? 34 : 26 }
        wgoutput = integer("wgoutput")
        cardoutput = integer("cardoutput")
        accessTimes = integer("access_times")
        dayZones = reply["dayzone"]?.array.map { $0.map(DeviceLock.readDayZone) }
        weekZones = reply["weekzone"]?.array.map { $0.map(DeviceLock.readWeekZone) }
    }

    /// The setdevlock members with the terminals' spellings (`mutiopen`, `wgformat` 0/1).
    public var fields: JSONObject {
        var fields = JSONObject()
        fields.appendIfPresent("opendelay", .integer(opendelay))
        fields.appendIfPresent("doorsensor", .integer(doorsensor))
        fields.appendIfPresent("alarmdelay", .integer(alarmdelay))
        fields.appendIfPresent("threat", .integer(threat))
        fields.appendIfPresent("inputalarm", .integer(inputalarm))
        fields.appendIfPresent("antpass", .integer(antpass))
        fields.appendIfPresent("interlock", .integer(interlock))
        fields.appendIfPresent("mutiopen", .integer(multiopen))
        fields.appendIfPresent("tryalarm", .integer(tryalarm))
        fields.appendIfPresent("tamper", .integer(tamper))
        fields.appendIfPresent("wgformat", .integer(wiegandBits.map { $0 == 34 ? 1 : 0 }))
        fields.appendIfPresent("wgoutput", .integer(wgoutput))
        fields.appendIfPresent("cardoutput", .integer(cardoutput))
        fields.appendIfPresent("access_times", .integer(accessTimes))
        fields.appendIfPresent("dayzone", dayZones.map { .array($0.map(\.json)) })
        fields.appendIfPresent("weekzone", weekZones.map { .array($0.map(\.json)) })
        return fields
    }

    /// The sections that read as `HH:MM~HH:MM`; others are skipped.
    private static func readDayZone(_ value: JSONValue) -> DayZone {
        let sections = value["day"]?.array ?? []
        return DayZone(sections: sections.compactMap { $0["section"]?.string.flatMap(TimeSection.init(text:)) })
    }

    /// The day numbers that read as numbers; others are skipped.
    private static func readWeekZone(_ value: JSONValue) -> WeekZone {
        WeekZone(days: (value["week"]?.array ?? []).compactMap { $0["day"]?.int })
    }
}

/// `setdevlock`: door and alarm settings and time zones; any subset.
public struct SetDevLock: CommandRequest {
    public static let commandName = "setdevlock"

    public var lock: DeviceLock

    public init(lock: DeviceLock) {
        self.lock = lock
    }

    public init(params: JSONObject) throws(CommandValidationError) {
        lock = try DeviceLock(params: params)
    }

    public var fields: JSONObject { lock.fields }
}

/// `getdevlock`: the door and alarm settings and time zones.
public struct GetDevLock: CommandRequest {
    public static let commandName = "getdevlock"

    public init(params: JSONObject) throws(CommandValidationError) {
        _ = try OperatorParams(params, fields: [])
    }

    public var fields: JSONObject { JSONObject() }
}
