import CatracaJSON

/// How the reply quirks reshape a reply object before it goes out.
extension TerminalCommandResponder {
    /// `reply` with the enabled spelling, number and tag quirks applied, in that order.
    func styled(_ reply: JSONObject, command: String) -> JSONObject {
        var reply = reply
        if quirks.contains(.vendorSpellings) { reply = vendorSpelled(reply, command: command) }
        if quirks.contains(.stringNumbers) { reply = numbersAsText(.object(reply)).object ?? reply }
        if quirks.contains(.cmdReplies) { reply = renamed(reply, "ret", to: "cmd") }
        return reply
    }

    /// The spellings the vendor's own examples use; getuserlock's reply tagged `"cmd"` as in its example.
    private func vendorSpelled(_ reply: JSONObject, command: String) -> JSONObject {
        var reply = reply
        for (canonical, vendor) in TerminalCommandResponder.vendorSpellings {
            reply = renamed(reply, canonical, to: vendor)
        }
        if command == "getuserlock" { reply = renamed(reply, "ret", to: "cmd") }
        return reply
    }

    static let vendorSpellings = [
        ("department", "departmant"), ("title", "tittle"), ("schedules", "Schedules"), ("reason", "reson"),
    ]

    /// `object` with the member `key` renamed, in place.
    private func renamed(_ object: JSONObject, _ key: String, to newKey: String) -> JSONObject {
        JSONObject(object.members.map { member in
            member.key == key ? JSONObject.Member(key: newKey, value: member.value) : member
        })
    }

    /// Every number as its text, except that `admin` alternates between text and number from one
    /// occurrence to the next (what integrators saw: `"0"` in one reply, `0` in the next).
    private func numbersAsText(_ value: JSONValue, key: String? = nil) -> JSONValue {
        switch value {
        case .number(let number):
            guard key == "admin" else { return .string(number.text) }
            defer { nextAdminAsText.toggle() }
            return nextAdminAsText ? .string(number.text) : value
        case .array(let items):
            return .array(items.map { numbersAsText($0, key: key) })
        case .object(let object):
            return .object(JSONObject(object.members.map {
                JSONObject.Member(key: $0.key, value: numbersAsText($0.value, key: $0.key))
            }))
        default:
            return value
        }
    }
}
