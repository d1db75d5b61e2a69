import CatracaJSON

/// A getdevinfo reply. The reply spells the fingerprint count `userfpnum` (setdevinfo sends `usefpnum`); it is
/// left as the terminal spells it.
public struct DeviceInfo: Equatable, Sendable {
    public var deviceid: Int?
    public var language: Int?
    public var volume: Int?
    public var screensaver: Int?
    public var verifyMode: Int?
    public var sleep: Int?
    public var userfpnum: Int?
    public var loghint: Int?
    public var reverifytime: Int?

    public init(reply: JSONObject) {
        deviceid = reply["deviceid"]?.int
        language = reply["language"]?.int
        volume = reply["volume"]?.int
        screensaver = reply["screensaver"]?.int
        verifyMode = reply["verifymode"]?.int
        sleep = reply["sleep"]?.int
        userfpnum = (reply["userfpnum"] ?? reply["usefpnum"])?.int
        loghint = reply["loghint"]?.int
        reverifytime = reply["reverifytime"]?.int
    }
}

/// A gettime reply: the terminal's clock, `YYYY-MM-DD HH:MM:SS` as sent.
public struct DeviceTime: Equatable, Sendable {
    public var time: String?

    public init(reply: JSONObject) {
        time = reply["time"]?.string
    }
}

/// The part every reply has: `result`, and on a refusal `reason` (vendor `reson`), both read leniently.
public struct CommandResult: Equatable, Sendable {
    /// nil when the reply carries no readable `result` (some commands answer with their fields only).
    public var result: Bool?
    /// As sent: usually a number, sometimes text.
    public var reason: JSONValue?

    public init(reply: JSONObject) {
        result = reply["result"]?.bool
        reason = reply["reason"] ?? reply["reson"]
    }

    /// Whether the terminal refused (`result:false`).
    public var isRefusal: Bool { result == false }
}
