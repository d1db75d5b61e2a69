import CatracaJSON

/// Why the emulated terminal answers a command with `result` false.
///
/// `reason` is the number the reply carries; `detail` says in words what was wrong, for the state
/// file's command list (a firmware sends no text). `extra` adds fields to the reply (adduser's `mesg`).
public struct CommandRefusal: Error, Equatable {
    public var reason: Int
    public var detail: String
    public var extra: JSONObject

    public init(reason: Int, _ detail: String, extra: JSONObject = [:]) {
        self.reason = reason
        self.detail = detail
        self.extra = extra
    }

    /// The general refusal: reason 1, the number every failure example in the vendor document shows.
    public static func invalid(_ detail: String) -> CommandRefusal {
        CommandRefusal(reason: 1, detail)
    }

    /// adduser while an enrolment runs.
    public static let busyEnrolling = CommandRefusal(reason: 3, "an enrolment is in progress",
                                                     extra: ["mesg": "device is working"])
}
