import CatracaJSON

/// `adduser`: starts an enrolment on the terminal itself (the person presents face, card, palm or finger there),
/// or with `{"cancel": true}` cancels the enrolment in progress.
public enum AddUserRequest: CommandRequest {
    case enrol(AddUser)
    case cancel

    public static let commandName = "adduser"

    public init(params: JSONObject) throws(CommandValidationError) {
        guard params["cancel"] != nil else {
            self = .enrol(try AddUser(params: params))
            return
        }
        if let other = params.keys.first(where: { $0 != "cancel" }) {
            throw CommandValidationError(field: other, message: "cancel is sent alone; leave out \(other)")
        }
        let reader = try OperatorParams(params, fields: ["cancel"])
        guard try reader.boolean("cancel") == true else {
            throw reader.error("cancel", "must be true (the cancel of an enrolment); leave it out to enrol")
        }
        self = .cancel
    }

    public var fields: JSONObject {
        switch self {
        case .enrol(let enrolment): return enrolment.fields
        case .cancel: return ["cancel": true]
        }
    }
}

/// The enrolment of one credential at the terminal.
///
/// `flag` 10 (enrol on the terminal itself) is the only value the protocol documents; it is sent when not given
/// and other values are refused. `admin` is 0 (user) or 1 (administrator), as in the protocol's examples.
public struct AddUser: Equatable, Sendable {
    public var enrollid: Int
    /// 0-9 fingerprint, 11 card, 40/41 palm vein, 50 face.
    public var slot: CredentialSlot
    public var admin: Int?
    public var name: String?
    public var flag: Int

    init(params object: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(object, fields: ["enrollid", "backupnum", "admin", "name", "flag"])
        enrollid = try params.required("enrollid", params.integer("enrollid", .enrollid))
        slot = try params.required("backupnum", CredentialSlot.read(params, [.fingerprint, .card, .palm, .face]),
                                   because: "(the credential to enrol: 50 face, 11 card, 40/41 palm, 0-9 fingerprint)")
        admin = try params.integer("admin", .range(0...1, "0 user, 1 administrator"))
        name = try params.text("name", maxLength: CommandLimits.maxNameLength)
        flag = try params.integer("flag", .values([10], "a documented enrolment flag (10 = on the terminal)")) ?? 10
    }

    var fields: JSONObject {
        var fields: JSONObject = ["enrollid": .integer(enrollid), "backupnum": .integer(slot.backupnum)]
        fields.appendIfPresent("admin", .integer(admin))
        fields.appendIfPresent("name", .text(name))
        fields.append(key: "flag", value: .integer(flag))
        return fields
    }
}

/// An adduser reply, read leniently.
public struct AddUserReply: Equatable, Sendable {
    public var result: Bool?
    public var reason: Int?
    /// The terminal's message, e.g. `device is working`.
    public var mesg: String?

    public init(reply: JSONObject) {
        result = reply["result"]?.bool
        reason = (reply["reason"] ?? reply["reson"])?.int
        mesg = reply["mesg"]?.string
    }

    /// The terminal is enrolling already; cancel it with `{"cmd":"adduser","cancel":true}` first.
    public var isBusy: Bool {
        result == false && (reason == 3 || (mesg?.lowercased().contains("working") ?? false))
    }
}
