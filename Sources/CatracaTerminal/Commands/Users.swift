import CatracaJSON

/// `getuserlist`: every user's number, admin flag and credential slots, paged (`stn`).
public struct GetUserList: CommandRequest {
    public static let commandName = "getuserlist"

    public init() {}

    public init(params: JSONObject) throws(CommandValidationError) {
        _ = try OperatorParams(params, fields: [])
    }

    public var fields: JSONObject { JSONObject() }
}

/// `getuserinfo`: one user's details, or with `backupnum` one credential (e.g. 50, the face photo).
public struct GetUserInfo: CommandRequest {
    public static let commandName = "getuserinfo"

    public var enrollid: Int
    /// With a slot the reply is the short shape carrying that credential in `record`.
    public var slot: CredentialSlot?

    public init(enrollid: Int, slot: CredentialSlot? = nil) {
        self.enrollid = enrollid
        self.slot = slot
    }

    public init(params: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(params, fields: ["enrollid", "backupnum"])
        enrollid = try params.required("enrollid", params.integer("enrollid", .enrollid))
        slot = try CredentialSlot.read(params, [.fingerprint, .password, .card, .face])
    }

    public var fields: JSONObject {
        var fields: JSONObject = ["enrollid": .integer(enrollid)]
        fields.appendIfPresent("backupnum", .integer(slot?.backupnum))
        return fields
    }
}

/// `setuserinfo`: creates or changes a user, optionally with one credential (`backupnum` + `record`).
public struct SetUserInfo: CommandRequest {
    public static let commandName = "setuserinfo"

    public var enrollid: Int
    public var name: String?
    public var verifyMode: VerifyMode?
    public var department: String?
    /// Card number digits; sent as a number.
    public var card: String?
    /// Password digits; sent as a number.
    public var password: String?
    /// 1 enabled, 0 disabled.
    public var enable: Int?
    public var shiftid: Int?
    /// The time profile.
    public var zoneid: Int?
    public var groupid: Int?
    /// How many passages the user is allowed; 0 = unlimited.
    public var accessTimes: Int?
    public var postid: Int?
    public var starttime: String?
    public var endtime: String?
    public var credential: CredentialData?

    static let fieldNames = [
        "enrollid", "name", "verifymode", "department", "card", "pwd", "enable", "shiftid", "zoneid", "groupid",
        "access_times", "postid", "starttime", "endtime", "backupnum", "record",
    ]

    public init(params: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(params, fields: SetUserInfo.fieldNames)
        enrollid = try params.required("enrollid", params.integer("enrollid", .enrollid))
        name = try params.text("name", maxLength: CommandLimits.maxNameLength)
        verifyMode = try VerifyMode.read(params)
        department = try params.text("department")
        card = try params.digits("card", maxCount: CommandLimits.maxCardDigits)
        password = try params.digits("pwd", maxCount: CommandLimits.maxPasswordDigits)
        enable = try params.flag("enable")
        shiftid = try params.integer("shiftid", .count)
        zoneid = try params.integer("zoneid", .count)
        groupid = try params.integer("groupid", .count)
        accessTimes = try params.integer("access_times", .range(0...Int(Int32.max), "0 = unlimited"))
        postid = try params.integer("postid", .count)
        starttime = try params.dateTime("starttime")
        endtime = try params.dateTime("endtime")
        try params.ordered("starttime", starttime, "endtime", endtime)
        let slot = try CredentialSlot.read(params, [.fingerprint, .password, .card, .face])
        credential = try CredentialData.read(params, slot: slot)
    }

    /// In the order of the vendor's example.
    public var fields: JSONObject {
        var fields: JSONObject = ["enrollid": .integer(enrollid)]
        fields.appendIfPresent("name", .text(name))
        fields.appendIfPresent("verifymode", .integer(verifyMode?.rawValue))
        fields.appendIfPresent("department", .text(department))
        fields.appendIfPresent("card", .digits(card))
        fields.appendIfPresent("pwd", .digits(password))
        fields.appendIfPresent("enable", .integer(enable))
        fields.appendIfPresent("shiftid", .integer(shiftid))
        fields.appendIfPresent("zoneid", .integer(zoneid))
        fields.appendIfPresent("groupid", .integer(groupid))
        fields.appendIfPresent("access_times", .integer(accessTimes))
        fields.appendIfPresent("postid", .integer(postid))
        fields.appendIfPresent("starttime", .text(starttime))
        fields.appendIfPresent("endtime", .text(endtime))
        if let credential {
            fields.append(key: "backupnum", value: .integer(credential.slot.backupnum))
            fields.append(key: "record", value: credential.record)
        }
        return fields
    }
}

/// `deleteuser`: removes a whole user (backupnum 12, the default) or one of its credentials.
public struct DeleteUser: CommandRequest {
    public static let commandName = "deleteuser"

    public var enrollid: Int
    /// `.wholeUser` unless the operator names one credential.
    public var slot: CredentialSlot

    public init(params: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(params, fields: ["enrollid", "backupnum"])
        enrollid = try params.required("enrollid", params.integer("enrollid", .enrollid))
        slot = try CredentialSlot.read(params, [.fingerprint, .password, .card, .wholeUser, .face]) ?? .wholeUser
    }

    public var fields: JSONObject {
        ["enrollid": .integer(enrollid), "backupnum": .integer(slot.backupnum)]
    }
}

/// `enableuser`: enables (`enflag` 1) or disables (0) a user.
public struct EnableUser: CommandRequest {
    public static let commandName = "enableuser"

    public var enrollid: Int
    public var enflag: Int

    public init(params: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(params, fields: ["enrollid", "enflag"])
        enrollid = try params.required("enrollid", params.integer("enrollid", .enrollid))
        enflag = try params.required("enflag", params.flag("enflag"), because: "(1 enable, 0 disable)")
    }

    public var fields: JSONObject {
        ["enrollid": .integer(enrollid), "enflag": .integer(enflag)]
    }
}

/// `cleanuser`: removes every user from the terminal.
public struct CleanUser: CommandRequest {
    public static let commandName = "cleanuser"

    public init(params: JSONObject) throws(CommandValidationError) {
        _ = try OperatorParams(params, fields: [])
    }

    public var fields: JSONObject { JSONObject() }
}
