import CatracaJSON
import Foundation

/// Users and their credentials: getuserlist, getuserinfo, setuserinfo, deleteuser, getusername,
/// setusername, enableuser, cleanuser, cleanadmin.
extension TerminalCommandResponder {
    /// One entry per credential a user holds (`enrollid`, `admin`, `backupnum`), users in `enrollid`
    /// order; a user without any credential is listed once, without `backupnum`.
    func listUsers(_ fields: CommandFields) throws -> JSONObject {
        let (listing, page) = try nextPage(of: "getuserlist", fields) {
            Listing(entries: state.sortedUsers.flatMap(userListEntries), pageSize: pageSizes.users)
        }
        var body = listing.position(of: page)
        body["record"] = .array(Array(listing.entries[page]))
        return body
    }

    private func userListEntries(_ user: EmulatedUser) -> [JSONValue] {
        let base: JSONObject = ["enrollid": .integer(user.enrollid), "admin": .integer(user.admin)]
        guard !user.credentialSlots.isEmpty else { return [.object(base)] }
        return user.credentialSlots.map { slot in
            var entry = base
            entry["backupnum"] = .integer(slot)
            return .object(entry)
        }
    }

    /// Without `backupnum`: the user's fields as the protocol lists them (`pwd` 0 when none). With it:
    /// the credential in that slot as `record` (a number for password and card, text otherwise);
    /// refused when the user holds none there.
    func userInfo(_ fields: CommandFields) throws -> JSONObject {
        let user = try existingUser(try fields.enrollid())
        guard let slot = try fields.int("backupnum") else {
            return [
                "enrollid": .integer(user.enrollid), "name": .string(user.name),
                "department": .string(user.department), "admin": .integer(user.admin),
                "pwd": user.password.flatMap { JSONNumber(text: $0) }.map { .number($0) } ?? .integer(0),
                "enable": .integer(user.enabled ? 1 : 0), "groupid": .integer(user.groupid),
            ]
        }
        guard let credential = user.credential(slot) else {
            throw CommandRefusal.invalid("user \(user.enrollid) holds no credential in slot \(slot)")
        }
        let record: JSONValue = (slot == 10 || slot == 11)
            ? JSONNumber(text: credential).map { .number($0) } ?? .string(credential)
            : .string(credential)
        return [
            "enrollid": .integer(user.enrollid), "name": .string(user.name), "backupnum": .integer(slot),
            "admin": .integer(user.admin), "record": record,
        ]
    }

    /// Creates the user or updates the fields sent; a `backupnum` with `record` stores that credential
    /// (a face photo is judged by `PhotoCheck`). `card`/`pwd` 0 or "" remove the card/password.
    /// Every field is checked before anything changes.
    func setUserInfo(_ fields: CommandFields) throws -> JSONObject {
        if state.enrolment != nil { throw CommandRefusal(reason: 3, "an enrolment is in progress") }
        let enrollid = try fields.enrollid()
        var user = state.users[enrollid] ?? EmulatedUser(enrollid: enrollid)

        if let name = try fields.string("name") { user.name = name }
        if let department = try fields.string("department", "departmant") { user.department = department }
        if let verifymode = try fields.int("verifymode") {
            guard TerminalCommandResponder.verifyModes.contains(verifymode) else {
                throw fields.refusal("verifymode: \(verifymode) is not a verification mode")
            }
            user.verifymode = verifymode
        }
        if let admin = try fields.int("admin", in: 0...2) { user.admin = admin }
        if let enable = try fields.int("enable", in: 0...1) { user.enabled = enable == 1 }
        if let shiftid = try fields.int("shiftid", in: 0...999_999) { user.shiftid = shiftid }
        if let zoneid = try fields.int("zoneid", in: 0...999_999) { user.zoneid = zoneid }
        if let groupid = try fields.int("groupid", in: 0...999_999) { user.groupid = groupid }
        if let accessTimes = try fields.int("access_times", in: 0...999_999) { user.accessTimes = accessTimes }
        if let postid = try fields.int("postid", in: 0...999_999) { user.postid = postid }
        if let starttime = try fields.time("starttime") { user.starttime = starttime }
        if let endtime = try fields.time("endtime") { user.endtime = endtime }
        if fields.has("card") { user.card = try digits(fields, "card") }
        if fields.has("pwd") { user.password = try digits(fields, "pwd") }
        if let slot = try fields.int("backupnum") {
            user.setCredential(slot, to: try credential(for: slot, fields))
        }

        state.users[enrollid] = user
        return [:]
    }

    /// A card number or password: digits, as a number or text; 0 or "" means none.
    private func digits(_ fields: CommandFields, _ key: String) throws -> String? {
        let text = (try fields.string(key) ?? "").trimmingCharacters(in: .whitespaces)
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }), text.count <= 20 else {
            throw fields.refusal("\(key): \"\(text)\" is not a number of at most 20 digits")
        }
        return text.isEmpty || text.allSatisfy({ $0 == "0" }) ? nil : text
    }

    private func credential(for slot: Int, _ fields: CommandFields) throws -> String {
        guard EmulatedUser.isCredentialSlot(slot) else {
            throw fields.refusal("backupnum: \(slot) is not a credential slot")
        }
        guard fields.has("record") else { throw fields.refusal("backupnum \(slot) without record") }
        if slot == 10 || slot == 11 {
            guard let value = try digits(fields, "record") else { throw fields.refusal("record: empty") }
            return value
        }
        guard let text = try fields.string("record"), !text.isEmpty else { throw fields.refusal("record: empty") }
        guard slot == 50 else { return text }
        if let reason = PhotoCheck.refusalReason(for: text, maxBytes: options.maxPhotoBytes) {
            throw CommandRefusal(reason: reason, "face photo refused")
        }
        return PhotoCheck.base64Body(of: text)!
    }

    /// `backupnum` 12 (or absent) removes the user and its user lock; a credential slot removes that
    /// credential (succeeding when the user held none there).
    func deleteUser(_ fields: CommandFields) throws -> JSONObject {
        var user = try existingUser(try fields.enrollid())
        let slot = try fields.int("backupnum") ?? 12
        if slot == 12 {
            state.users[user.enrollid] = nil
            state.userLocks[user.enrollid] = nil
            return [:]
        }
        guard EmulatedUser.isCredentialSlot(slot) else {
            throw CommandRefusal.invalid("backupnum: \(slot) is neither 12 nor a credential slot")
        }
        user.setCredential(slot, to: nil)
        state.users[user.enrollid] = user
        return [:]
    }

    func userName(_ fields: CommandFields) throws -> JSONObject {
        let user = try existingUser(try fields.enrollid())
        return ["record": .string(user.name)]
    }

    /// Sets each listed user's name; an `enrollid` the terminal does not hold creates that user.
    /// `count` is not checked against the list (the list is what the firmware walks).
    func setUserNames(_ fields: CommandFields) throws -> JSONObject {
        guard let entries = try fields.array("record") else { throw CommandRefusal.invalid("record is missing") }
        var names: [(Int, String)] = []
        for entry in entries {
            guard let object = entry.object else { throw CommandRefusal.invalid("record: \(entry) is not an object") }
            let item = CommandFields(object)
            guard let name = try item.string("name") else { throw CommandRefusal.invalid("record: name missing") }
            names.append((try item.enrollid(), name))
        }
        for (enrollid, name) in names {
            var user = state.users[enrollid] ?? EmulatedUser(enrollid: enrollid)
            user.name = name
            state.users[enrollid] = user
        }
        return [:]
    }

    func enableUser(_ fields: CommandFields) throws -> JSONObject {
        var user = try existingUser(try fields.enrollid())
        user.enabled = try fields.requiredInt("enflag", in: 0...1) == 1
        state.users[user.enrollid] = user
        return [:]
    }

    /// Removes every user, and with them their user locks.
    func cleanUsers() -> JSONObject {
        state.users = [:]
        state.userLocks = [:]
        return [:]
    }

    /// Every administrator becomes an ordinary user.
    func cleanAdministrators() -> JSONObject {
        for enrollid in state.users.keys { state.users[enrollid]!.admin = 0 }
        return [:]
    }

    /// `setuserinfo.verifymode` values the protocol lists.
    static let verifyModes: Set<Int> = [0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 16, 19, 20, 21, 22, 23, 24]
}
