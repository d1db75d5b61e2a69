import CatracaJSON

/// Lenient reads of a command's fields, as a firmware does: numbers may come as strings, keys in
/// another case (`InputAlarm`). A field that is present but unusable is a refusal with `failure`'s
/// reason; an absent one is nil.
struct CommandFields {
    let object: JSONObject
    /// The reason a bad field is refused with (1 for most commands, 2 for setuserinfo).
    let failureReason: Int

    init(_ object: JSONObject, failureReason: Int = 1) {
        self.object = object
        self.failureReason = failureReason
    }

    /// The value under the first of `keys` present, ignoring case.
    func value(_ keys: String...) -> JSONValue? {
        value(keys)
    }

    func value(_ keys: [String]) -> JSONValue? {
        for key in keys {
            if let value = object.value(forKeyIgnoringCase: key), !value.isNull { return value }
        }
        return nil
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    func refusal(_ detail: String) -> CommandRefusal {
        CommandRefusal(reason: failureReason, detail)
    }

    func int(_ keys: String..., in range: ClosedRange<Int>? = nil) throws -> Int? {
        guard let value = value(keys) else { return nil }
        guard let number = value.int else { throw refusal("\(keys[0]): \(value) is not a whole number") }
        if let range, !range.contains(number) {
            throw refusal("\(keys[0]): \(number) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    func requiredInt(_ key: String, in range: ClosedRange<Int>? = nil) throws -> Int {
        guard has(key) else { throw refusal("\(key) is missing") }
        return try int(key, in: range)!
    }

    func string(_ keys: String...) throws -> String? {
        guard let value = value(keys) else { return nil }
        guard let text = value.string else { throw refusal("\(keys[0]): \(value) is not text") }
        return text
    }

    func bool(_ keys: String...) throws -> Bool? {
        guard let value = value(keys) else { return nil }
        guard let flag = value.bool else { throw refusal("\(keys[0]): \(value) is not true/false or 1/0") }
        return flag
    }

    /// A `YYYY-MM-DD HH:MM:SS` time.
    func time(_ key: String) throws -> String? {
        guard let text = try string(key) else { return nil }
        guard TerminalClock.isTime(text) else { throw refusal("\(key): \"\(text)\" is not YYYY-MM-DD HH:MM:SS") }
        return text
    }

    /// A `YYYY-MM-DD` date.
    func date(_ key: String) throws -> String? {
        guard let text = try string(key) else { return nil }
        guard TerminalClock.isDate(text) else { throw refusal("\(key): \"\(text)\" is not YYYY-MM-DD") }
        return text
    }

    func array(_ keys: String...) throws -> [JSONValue]? {
        guard let value = value(keys) else { return nil }
        guard let items = value.array else { throw refusal("\(keys[0]): \(value) is not a list") }
        return items
    }

    /// `enrollid`: a whole number from 1.
    func enrollid() throws -> Int {
        try requiredInt("enrollid", in: 1...999_999_999)
    }
}
