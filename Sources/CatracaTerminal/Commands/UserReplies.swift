import CatracaJSON

/// One entry of a getuserlist page: a user's number, admin flag and one credential slot it holds.
public struct UserListEntry: Equatable, Sendable {
    public var enrollid: Int64?
    /// 0 user, 1 administrator (firmwares send `0` or `"0"`).
    public var admin: Int?
    public var backupnum: Int?

    /// Reads an entry leniently; what cannot be read is nil.
    public init(entry: JSONValue) {
        enrollid = entry["enrollid"]?.int64
        admin = entry["admin"]?.int
        backupnum = entry["backupnum"]?.int
    }
}

/// A getuserinfo reply, in either shape: with `backupnum` (one credential in `record`) or without (the user's
/// details: `department`, `pwd`, `enable`, `groupid`).
public struct UserInfo: Equatable, Sendable {
    public var enrollid: Int64?
    public var name: String?
    public var admin: Int?
    /// Set in the short shape: the slot `record` holds.
    public var slot: CredentialSlot?
    /// The credential: base64 text for a face or template, digits for a password or card (sent as a number).
    public var record: String?
    public var department: String?
    public var pwd: String?
    public var enable: Int?
    public var groupid: Int?

    /// Reads either shape leniently: `departmant`, numbers as strings, `admin` as `"0"` or `0`.
    public init(reply: JSONObject) {
        enrollid = reply["enrollid"]?.int64
        name = reply["name"]?.string
        admin = reply["admin"]?.int
        slot = reply["backupnum"]?.int.flatMap(CredentialSlot.init(backupnum:))
        record = reply["record"]?.string
        department = (reply["department"] ?? reply["departmant"])?.string
        pwd = reply["pwd"]?.string
        enable = reply["enable"]?.int
        groupid = reply["groupid"]?.int
    }

    /// Whether this is the short shape that carries one credential.
    public var isCredential: Bool { slot != nil }
}

/// A getusername reply: the name is `record`.
public struct UserName: Equatable, Sendable {
    public var name: String?

    public init(reply: JSONObject) {
        name = reply["record"]?.string
    }
}
