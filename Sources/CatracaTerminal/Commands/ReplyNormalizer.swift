import CatracaJSON

/// Turns a terminal's reply into the operator form of contract section 1.
///
/// `ret`, `cmd`, `result` and `sn` are removed from the top level; vendor spellings become canonical (in nested
/// objects too); numeric fields written as strings become numbers and boolean fields booleans. Members it does
/// not know are kept as they came, and it is idempotent: normalizing a normalized reply changes nothing.
enum ReplyNormalizer {
    /// Members that only address the reply; the operator already knows which terminal and command it was.
    static let envelope: Set<String> = ["ret", "cmd", "result", "sn"]

    /// Fields that are numbers in every reply that carries them.
    static let numeric: Set<String> = [
        "enrollid", "admin", "backupnum", "count", "from", "to", "enable", "groupid", "reason",
        "deviceid", "language", "volume", "screensaver", "verifymode", "sleep", "userfpnum", "usefpnum", "loghint",
        "reverifytime", "server_verify", "opendelay", "doorsensor", "alarmdelay", "threat", "inputalarm", "antpass",
        "interlock", "multiopen", "tryalarm", "tamper", "wgformat", "wgoutput", "cardoutput", "access_times",
        "weekzone", "group", "day", "optionflag", "mode", "inout", "event", "temp", "shiftid", "zoneid", "postid",
        "doornum", "logindex", "new", "duplicates", "quarantined",
    ]

    /// Card and password numbers: made numbers only when no digit is lost (`"0123"` stays a string).
    static let digitFields: Set<String> = ["pwd", "card"]

    /// Fields that are booleans.
    static let boolean: Set<String> = ["radio", "usequestion", "useschedule", "cancel"]

    /// The operator form of a reply to `command`.
    static func normalize(_ reply: JSONObject, command: String) -> JSONObject {
        var normalized = JSONObject()
        for member in reply where !envelope.contains(member.key) {
            let key = canonicalKey(member.key)
            guard normalized[key] == nil else { continue }
            normalized.append(key: key, value: normalizedValue(member.value, key: key))
        }

        if let record = normalized["record"] {
            normalized["record"] = normalizedRecord(record, command: command, reply: normalized)
        }
        return normalized
    }

    /// The canonical spelling of a key.
    static func canonicalKey(_ key: String) -> String {
        VendorSpelling.canonical[key] ?? key
    }

    /// A nested object: spellings and values made canonical, nothing removed.
    static func normalizeNested(_ object: JSONObject) -> JSONObject {
        var normalized = JSONObject()
        for member in object {
            let key = canonicalKey(member.key)
            guard normalized[key] == nil else { continue }
            normalized.append(key: key, value: normalizedValue(member.value, key: key))
        }
        return normalized
    }

    /// A value under `key`, with lists and objects inside it normalized too. `record` is left to the caller.
    static func normalizedValue(_ value: JSONValue, key: String) -> JSONValue {
        switch value {
        case .string where numeric.contains(key):
            return number(value) ?? value
        case .string where digitFields.contains(key):
            return losslessNumber(value) ?? value
        case .string, .number:
            if boolean.contains(key), let flag = value.bool { return .bool(flag) }
            return value
        case .object(let object):
            return .object(normalizeNested(object))
        case .array(let array) where key != "record":
            return .array(array.map { element in
                element.object.map { .object(normalizeNested($0)) } ?? element
            })
        default:
            return value
        }
    }

    /// `record` by command: a list of users or locks, log entries, one credential, or a name.
    private static func normalizedRecord(_ record: JSONValue, command: String, reply: JSONObject) -> JSONValue {
        switch (command, record) {
        case ("getnewlog", .array(let entries)), ("getalllog", .array(let entries)):
            return .array(entries.map(CommandReplies.operatorRecord))
        case (_, .array(let entries)):
            return .array(entries.map { entry in entry.object.map { .object(normalizeNested($0)) } ?? entry })
        case ("getuserinfo", .string):
            // A password or card comes as a number, photos and templates as strings; keep a string for those.
            let slot = reply["backupnum"]?.int.flatMap(CredentialSlot.init(backupnum:))
            guard slot == .password || slot == .card else { return record }
            return losslessNumber(record) ?? record
        default:
            return record
        }
    }

    /// The number a string holds (`" 12 "`, `"36.5"`); nil when it holds none.
    static func number(_ value: JSONValue) -> JSONValue? {
        if let integer = value.int64 { return .number(JSONNumber(integer)) }
        return value.double.flatMap { JSONNumber($0) }.map { .number($0) }
    }

    /// The number a string of digits holds when writing it back gives the same text.
    static func losslessNumber(_ value: JSONValue) -> JSONValue? {
        guard case .string(let text) = value, let number = JSONNumber(text: text), number.int64 != nil,
              !text.contains("."), !text.contains("e"), !text.contains("E") else { return nil }
        return .number(number)
    }
}
