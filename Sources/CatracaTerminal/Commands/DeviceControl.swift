import CatracaJSON

/// `initsys`: factory clean of the terminal.
public struct InitSys: CommandRequest {
    public static let commandName = "initsys"

    public init(params: JSONObject) throws(CommandValidationError) {
        _ = try OperatorParams(params, fields: [])
    }

    public var fields: JSONObject { JSONObject() }
}

/// `reboot`: restarts the terminal; it does not answer.
public struct Reboot: CommandRequest {
    public static let commandName = "reboot"

    public init(params: JSONObject) throws(CommandValidationError) {
        _ = try OperatorParams(params, fields: [])
    }

    public var fields: JSONObject { JSONObject() }
}

/// `cleanadmin`: removes every administrator; the protocol documents no reply.
public struct CleanAdmin: CommandRequest {
    public static let commandName = "cleanadmin"

    public init(params: JSONObject) throws(CommandValidationError) {
        _ = try OperatorParams(params, fields: [])
    }

    public var fields: JSONObject { JSONObject() }
}

/// `settime`: sets the terminal's clock to `cloudtime`, the site's local time; the protocol documents no reply.
public struct SetTime: CommandRequest {
    public static let commandName = "settime"

    /// `YYYY-MM-DD HH:MM:SS`, the site's local time.
    public var cloudtime: String

    public init(params: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(params, fields: ["cloudtime"])
        let because = "(YYYY-MM-DD HH:MM:SS); the daemon fills in the site's time when the operator gives none"
        cloudtime = try params.required("cloudtime", params.dateTime("cloudtime"), because: because)
    }

    public var fields: JSONObject { ["cloudtime": .string(cloudtime)] }
}

/// `opendoor`: opens a door remotely; the protocol documents no reply.
public struct OpenDoor: CommandRequest {
    public static let commandName = "opendoor"

    /// The door (relay) number; the protocol's example uses 1. Bounded to 1-255, a byte on the terminals.
    public var doornum: Int

    public init(params: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(params, fields: ["doornum"])
        doornum = try params.required("doornum", params.integer("doornum", .range(1...255, "the door number")),
                                      because: "(the door to open, usually 1)")
    }

    public var fields: JSONObject { ["doornum": .integer(doornum)] }
}

/// `gettime`: the terminal's clock.
public struct GetTime: CommandRequest {
    public static let commandName = "gettime"

    public init(params: JSONObject) throws(CommandValidationError) {
        _ = try OperatorParams(params, fields: [])
    }

    public var fields: JSONObject { JSONObject() }
}
