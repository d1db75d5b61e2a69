import CatracaJSON
import CatracaTerminal

/// A passage (or an unauthorised rotation) as a plugin hears of it.
public struct PluginPassage: Equatable, Sendable {
    public var turnstile: String
    /// `turned_a`, `turned_b`, `not_turned` or `unauthorised_rotation`.
    public var outcome: String
    /// `entry` or `exit`; nil when the turnstile did not turn.
    public var side: String?
    public var sn: String?
    public var enrollid: Int64?
    /// The passage as a JSON object text.
    public var json: String

    public init(turnstile: String, outcome: String, side: String?, sn: String?, enrollid: Int64?, json: String) {
        self.turnstile = turnstile
        self.outcome = outcome
        self.side = side
        self.sn = sn
        self.enrollid = enrollid
        self.json = json
    }
}

/// The `args` of each hook call on the wire: the fields of the header's event structs, by the same names.
public enum PluginCallArguments {
    public static func registration(_ registration: TerminalRegistration) -> JSONValue {
        var object: JSONObject = ["sn": .string(registration.sn), "address": .string(registration.address)]
        if let devinfo = registration.devinfoJSON { object["devinfo_json"] = .string(devinfo) }
        return .object(object)
    }

    public static func record(_ record: AccessRecord) -> JSONValue {
        let identity = record.identity
        var object: JSONObject = [
            "sn": .string(identity.sn), "enrollid": .number(JSONNumber(identity.enrollid)),
            "time": .string(identity.time), "mode": .integer(identity.mode), "inout": .integer(identity.inOut),
            "event": .integer(identity.event), "verifymode": .integer(record.verifyMode ?? -1),
        ]
        if let name = record.name { object["name"] = .string(name) }
        object["json"] = .string(recordJSON(record).description)
        return .object(object)
    }

    public static func qrcode(sn: String, code: String) -> JSONValue {
        ["sn": .string(sn), "code": .string(code)]
    }

    public static func passage(_ passage: PluginPassage) -> JSONValue {
        var object: JSONObject = ["turnstile": .string(passage.turnstile), "outcome": .string(passage.outcome)]
        if let side = passage.side { object["side"] = .string(side) }
        if let sn = passage.sn { object["sn"] = .string(sn) }
        object["enrollid"] = .number(JSONNumber(passage.enrollid ?? -1))
        object["json"] = .string(passage.json)
        return .object(object)
    }

    /// The record as the terminal sent it, without its photo: the known fields, then the ones the daemon
    /// keeps unread (`extraJSON`).
    static func recordJSON(_ record: AccessRecord) -> JSONValue {
        let identity = record.identity
        var object: JSONObject = [
            "sn": .string(identity.sn), "enrollid": .number(JSONNumber(identity.enrollid)),
            "time": .string(identity.time), "mode": .integer(identity.mode), "inout": .integer(identity.inOut),
            "event": .integer(identity.event),
        ]
        if let verifyMode = record.verifyMode { object["verifymode"] = .integer(verifyMode) }
        if let temperature = record.temperature, let number = JSONNumber(temperature) {
            object["temp"] = .number(number)
        }
        if let name = record.name { object["name"] = .string(name) }
        if let extra = record.extraJSON, let extraObject = (try? JSONReader().parse(extra))?.object {
            for member in extraObject where object[member.key] == nil {
                object.append(key: member.key, value: member.value)
            }
        }
        return .object(object)
    }
}
