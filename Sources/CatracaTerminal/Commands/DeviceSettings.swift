import CatracaJSON

/// `setdevinfo`: the terminal's own parameters, or `server_verify` to switch "server ratify" on or off.
///
/// Any subset may be sent, but at least one field. Bounds the protocol leaves open are this daemon's:
/// numbers that are not negative and at most 65535, except those named below.
public struct SetDevInfo: CommandRequest {
    public static let commandName = "setdevinfo"

    public var deviceid: Int?
    public var language: Int?
    public var volume: Int?
    /// Screen saver delay, 1-255 s.
    public var screensaver: Int?
    public var verifyMode: VerifyMode?
    /// 1 = screen off, sensor on.
    public var sleep: Int?
    /// Most fingerprints per person, 0-10.
    public var usefpnum: Int?
    /// Warn when fewer than N log slots remain; 0 = off.
    public var loghint: Int?
    public var reverifytime: Int?
    /// 1 = the server decides every passage ("server ratify"), 0 = the terminal does.
    public var serverVerify: Int?

    static let fieldNames = [
        "deviceid", "language", "volume", "screensaver", "verifymode", "sleep", "usefpnum", "loghint",
        "reverifytime", "server_verify",
    ]

    public init(params: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(params, fields: SetDevInfo.fieldNames)
        guard !params.isEmpty else {
            throw CommandValidationError(field: "params", message: "give at least one of "
                + SetDevInfo.fieldNames.joined(separator: ", "))
        }
        let word = IntegerRule.range(0...65535)
        deviceid = try params.integer("deviceid", word)
        language = try params.integer("language", word)
        volume = try params.integer("volume", word)
        screensaver = try params.integer("screensaver", .range(1...255, "seconds before the screen saver"))
        verifyMode = try VerifyMode.read(params)
        sleep = try params.flag("sleep")
        usefpnum = try params.integer("usefpnum", .range(0...10, "fingerprints per person"))
        loghint = try params.integer("loghint", .range(0...Int(Int32.max), "free log slots to warn at, 0 = off"))
        reverifytime = try params.integer("reverifytime", word)
        serverVerify = try params.flag("server_verify")
    }

    public var fields: JSONObject {
        var fields = JSONObject()
        fields.appendIfPresent("deviceid", .integer(deviceid))
        fields.appendIfPresent("language", .integer(language))
        fields.appendIfPresent("volume", .integer(volume))
        fields.appendIfPresent("screensaver", .integer(screensaver))
        fields.appendIfPresent("verifymode", .integer(verifyMode?.rawValue))
        fields.appendIfPresent("sleep", .integer(sleep))
        fields.appendIfPresent("usefpnum", .integer(usefpnum))
        fields.appendIfPresent("loghint", .integer(loghint))
        fields.appendIfPresent("reverifytime", .integer(reverifytime))
        fields.appendIfPresent("server_verify", .integer(serverVerify))
        return fields
    }
}

/// `getdevinfo`: the terminal's parameters.
public struct GetDevInfo: CommandRequest {
    public static let commandName = "getdevinfo"

    public init(params: JSONObject) throws(CommandValidationError) {
        _ = try OperatorParams(params, fields: [])
    }

    public var fields: JSONObject { JSONObject() }
}
