import CatracaJSON

/// A user's access lock: the week profile it follows, its group and its validity period.
///
/// `weekzone` is 1-8 (a week profile of setdevlock; deleteuserlock unbinds a user). `group` has no range in the
/// protocol; this daemon takes 0-2^31-1.
public struct UserLock: Equatable, Sendable {
    public var enrollid: Int?
    public var weekzone: Int?
    public var group: Int?
    /// `YYYY-MM-DD HH:MM:SS`.
    public var starttime: String?
    /// `YYYY-MM-DD HH:MM:SS`.
    public var endtime: String?

    public init(enrollid: Int?, weekzone: Int?, group: Int?, starttime: String? = nil, endtime: String? = nil) {
        self.enrollid = enrollid
        self.weekzone = weekzone
        self.group = group
        self.starttime = starttime
        self.endtime = endtime
    }

    /// Reads a getuserlock reply leniently (its tag may be `cmd`, numbers may be strings).
    public init(reply: JSONObject) {
        enrollid = reply["enrollid"]?.int
        weekzone = reply["weekzone"]?.int
        group = reply["group"]?.int
        starttime = reply["starttime"]?.string
        endtime = reply["endtime"]?.string
    }

    /// Reads one `record` entry of setuserlock params.
    init(entry value: JSONValue, at path: String) throws(CommandValidationError) {
        let fields = ["enrollid", "weekzone", "group", "starttime", "endtime"]
        let entry = try OperatorParams(entry: value, fields: fields, at: path)
        enrollid = try entry.required("enrollid", entry.integer("enrollid", .enrollid))
        weekzone = try entry.required("weekzone", entry.integer("weekzone", .range(1...WeekZone.maxCount,
                                                                                    "a week profile number")))
        group = try entry.required("group", entry.integer("group", .count))
        starttime = try entry.dateTime("starttime")
        endtime = try entry.dateTime("endtime")
        try entry.ordered("starttime", starttime, "endtime", endtime)
    }

    var json: JSONValue {
        var object = JSONObject()
        object.appendIfPresent("enrollid", .integer(enrollid))
        object.appendIfPresent("weekzone", .integer(weekzone))
        object.appendIfPresent("group", .integer(group))
        object.appendIfPresent("starttime", .text(starttime))
        object.appendIfPresent("endtime", .text(endtime))
        return .object(object)
    }
}

/// `getuserlock`: one user's access lock.
public struct GetUserLock: CommandRequest {
    public static let commandName = "getuserlock"

    public var enrollid: Int

    public init(params: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(params, fields: ["enrollid"])
        enrollid = try params.required("enrollid", params.integer("enrollid", .enrollid))
    }

    public var fields: JSONObject { ["enrollid": .integer(enrollid)] }
}

/// `setuserlock`: binds users to week profiles; `count` is computed from the list.
public struct SetUserLock: CommandRequest {
    public static let commandName = "setuserlock"

    public var locks: [UserLock]

    public init(params: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(params, fields: ["record"])
        let because = "(a list of {enrollid, weekzone, group, starttime?, endtime?})"
        let record = try params.required("record", params.array("record"), because: because)
        guard !record.isEmpty else { throw params.error("record", "is empty; give at least one user lock") }

        var locks: [UserLock] = []
        for (index, value) in record.enumerated() {
            locks.append(try UserLock(entry: value, at: "record[\(index)]"))
        }
        self.locks = locks
    }

    public var fields: JSONObject {
        ["count": .integer(locks.count), "record": .array(locks.map(\.json))]
    }
}

/// `deleteuserlock`: removes one user's access lock.
public struct DeleteUserLock: CommandRequest {
    public static let commandName = "deleteuserlock"

    public var enrollid: Int

    public init(params: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(params, fields: ["enrollid"])
        enrollid = try params.required("enrollid", params.integer("enrollid", .enrollid))
    }

    public var fields: JSONObject { ["enrollid": .integer(enrollid)] }
}

/// `cleanuserlock`: removes every user's access lock.
public struct CleanUserLock: CommandRequest {
    public static let commandName = "cleanuserlock"

    public init(params: JSONObject) throws(CommandValidationError) {
        _ = try OperatorParams(params, fields: [])
    }

    public var fields: JSONObject { JSONObject() }
}
