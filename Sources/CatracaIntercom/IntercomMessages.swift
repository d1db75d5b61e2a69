import CatracaJSON
import Foundation

/// The messages the switchboard writes itself (the others it relays as they came).
enum IntercomMessages {
    static func refusal(_ name: String, sessionID: String?, reason: String) -> JSONObject {
        var object: JSONObject = ["ret": .string(name), "result": false]
        if let sessionID { object.append(key: "sessionid", value: .string(sessionID)) }
        object.append(key: "reason", value: .string(reason))
        return object
    }

    static func callcancel(sessionID: String, calltype: JSONValue) -> JSONObject {
        ["cmd": "callcancel", "sessionid": .string(sessionID), "calltype": calltype]
    }

    static func callaccept(sessionID: String, accepted: Bool, calltype: JSONValue) -> JSONObject {
        ["cmd": "callaccept", "sessionid": .string(sessionID), "result": .bool(accepted), "calltype": calltype]
    }

    static func talkring(sn: String, message: String, calltype: JSONValue) -> JSONObject {
        ["cmd": "talkring", "sn": .string(sn), "msg": .string(message), "sessionid": .string(sn),
         "calltype": calltype]
    }

    static func monitorcall(sessionID: String, calltype: JSONValue) -> JSONObject {
        ["cmd": "monitorcall", "sessionid": .string(sessionID), "calltype": calltype]
    }

    /// A message's `sessionid` as text, whether sent as a string or a number.
    static func sessionID(of body: JSONObject) -> String? {
        guard let text = body["sessionid"]?.string?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return nil
        }
        return text
    }
}
