import CatracaJSON

/// Reads an operator's params for one command (or one entry of a list inside them).
///
/// Every member must be one of the command's fields and given once; a field set to `null` counts as not
/// given. Numbers may come as strings (`"12"`). Each read names the field by its path in errors, so an
/// operator sees `record[2].enrollid`, not just `enrollid`.
struct OperatorParams {
    private let object: JSONObject
    private let path: String

    /// Refuses members that are not in `fields` and members given twice.
    init(_ object: JSONObject, fields: [String], at path: String = "") throws(CommandValidationError) {
        self.object = object
        self.path = path

        var seen: Set<String> = []
        for member in object {
            guard fields.contains(member.key) else {
                throw CommandValidationError(field: self.path(member.key),
                                             message: OperatorParams.unknownField(member.key, fields: fields))
            }
            guard seen.insert(member.key).inserted else {
                throw CommandValidationError(field: self.path(member.key), message: "given more than once")
            }
        }
    }

    /// Reads `value` as the params of a list entry at `path`, which must be a JSON object.
    init(entry value: JSONValue, fields: [String], at path: String) throws(CommandValidationError) {
        guard let object = value.object else {
            throw CommandValidationError(field: path, message: "\(Shown(value)) is not an object")
        }
        try self.init(object, fields: fields, at: path + ".")
    }

    /// The full path of `key` for error messages.
    func path(_ key: String) -> String { path + key }

    /// Whether no field is given at all.
    var isEmpty: Bool { object.members.allSatisfy { $0.value.isNull } }

    /// Whether the field is given (and not `null`).
    func has(_ key: String) -> Bool { value(key) != nil }

    /// The field's value; nil when absent or `null`.
    func value(_ key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    /// An error about `key`.
    func error(_ key: String, _ message: String) -> CommandValidationError {
        CommandValidationError(field: path(key), message: message)
    }

    /// `value` when present, else an error saying the field is required (and why, when `because` is given).
    func required<T>(_ key: String, _ value: T?, because: String? = nil) throws(CommandValidationError) -> T {
        guard let value else {
            throw error(key, "is required" + (because.map { " " + $0 } ?? ""))
        }
        return value
    }

    /// A whole number that `rule` allows.
    func integer(_ key: String, _ rule: IntegerRule) throws(CommandValidationError) -> Int? {
        guard let value = value(key) else { return nil }
        guard !isBoolean(value), let number = value.int else {
            throw error(key, "\(Shown(value)) is not a whole number")
        }
        guard rule.allows(number) else { throw error(key, "\(number) \(rule.refusal)") }
        return number
    }

    /// A switch sent as 0 or 1; `true`/`false` are accepted for it.
    func flag(_ key: String) throws(CommandValidationError) -> Int? {
        guard let value = value(key) else { return nil }
        guard let on = value.bool else {
            throw error(key, "\(Shown(value)) is not 0 or 1 (true and false are accepted)")
        }
        return on ? 1 : 0
    }

    /// A boolean sent as `true`/`false`; 1 and 0 are accepted for it.
    func boolean(_ key: String) throws(CommandValidationError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let on = value.bool else {
            throw error(key, "\(Shown(value)) is not true or false (1 and 0 are accepted)")
        }
        return on
    }

    /// A string of at most `maxLength` characters (when given).
    func text(_ key: String, maxLength: Int? = nil, nonEmpty: Bool = false) throws(CommandValidationError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw error(key, "\(Shown(value)) is not a string") }
        if nonEmpty && text.isEmpty { throw error(key, "is empty") }
        if let maxLength, text.count > maxLength {
            throw error(key, "has \(text.count) characters; at most \(maxLength) are allowed")
        }
        return text
    }

    /// ASCII digits (a card or password number), given as a number or as a string of digits.
    func digits(_ key: String, maxCount: Int) throws(CommandValidationError) -> String? {
        guard let value = value(key) else { return nil }
        return try OperatorParams.digits(value, maxCount: maxCount, field: path(key))
    }

    /// A list; nil when absent.
    func array(_ key: String) throws(CommandValidationError) -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        guard let array = value.array else { throw error(key, "\(Shown(value)) is not a list") }
        return array
    }

    /// A date `YYYY-MM-DD`, returned in that canonical form.
    func date(_ key: String) throws(CommandValidationError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value, let date = OperatorTime.date(text) else {
            throw error(key, "\(Shown(value)) is not a date YYYY-MM-DD")
        }
        return date
    }

    /// A date and time `YYYY-MM-DD HH:MM:SS`, returned in that canonical form.
    func dateTime(_ key: String) throws(CommandValidationError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value, let time = OperatorTime.dateTime(text) else {
            throw error(key, "\(Shown(value)) is not a date and time YYYY-MM-DD HH:MM:SS")
        }
        return time
    }

    /// Refuses `later` when it is before `earlier`; both are canonical, so text order is time order.
    func ordered(_ earlierKey: String, _ earlier: String?, _ laterKey: String,
                 _ later: String?) throws(CommandValidationError) {
        guard let earlier, let later, later < earlier else { return }
        throw error(laterKey, "\(later) is before \(earlierKey) \(earlier)")
    }

    /// `value` as digits: a non-negative whole number, or a string of ASCII digits.
    static func digits(_ value: JSONValue, maxCount: Int, field: String) throws(CommandValidationError) -> String {
        let text: String
        switch value {
        case .number(let number) where number.int64.map({ $0 >= 0 }) == true:
            text = String(number.int64!)
        case .string(let string):
            text = string
        default:
            throw CommandValidationError(field: field, message: "\(Shown(value)) is not a number of digits")
        }
        guard !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }) else {
            throw CommandValidationError(field: field, message: "\(Shown(value)) is not a number of digits")
        }
        guard text.utf8.count <= maxCount else {
            throw CommandValidationError(field: field, message: "has \(text.utf8.count) digits; at most \(maxCount)")
        }
        return text
    }

    private func isBoolean(_ value: JSONValue) -> Bool {
        if case .bool = value { return true }
        return false
    }

    /// Says what to do about a member the command does not take.
    private static func unknownField(_ key: String, fields: [String]) -> String {
        if let canonical = VendorSpelling.canonical[key], fields.contains(canonical) {
            return "write it \(canonical); the daemon sends the terminal's own spelling"
        }
        if key == "count" {
            return "is counted by the daemon from record; leave it out"
        }
        if key == "stn" {
            return "is set by the daemon while it pages through the listing; leave it out"
        }
        let known = fields.isEmpty ? "this command takes no fields" : "fields: " + fields.joined(separator: ", ")
        return "is not a field of this command (\(known))"
    }
}

/// Which whole numbers a field allows, and the words for one it does not.
struct IntegerRule {
    /// Whether the number may be sent.
    var allows: (Int) -> Bool
    /// Follows the number in an error: `13` + ` is not a credential slot (...)`.
    var refusal: String

    /// Numbers within `range`; `meaning` explains the values (`seconds, 0 = off`).
    static func range(_ range: ClosedRange<Int>, _ meaning: String? = nil) -> IntegerRule {
        let bounds = "\(range.lowerBound)-\(range.upperBound)"
        return IntegerRule(allows: { range.contains($0) },
                           refusal: "is outside \(bounds)" + (meaning.map { " (\($0))" } ?? ""))
    }

    /// Exactly `values`; `description` names them (`a credential slot (0-9 fingerprint, ...)`).
    static func values(_ values: Set<Int>, _ description: String) -> IntegerRule {
        IntegerRule(allows: { values.contains($0) }, refusal: "is not \(description)")
    }

    /// A number that is not negative, at most 2^31 - 1 (the terminals' field width is not documented).
    static let count = IntegerRule.range(0...Int(Int32.max))

    /// A user's number on the terminal.
    static let enrollid = IntegerRule(
        allows: { (1...CommandLimits.maxEnrollid).contains($0) },
        refusal: "is not a user number (a whole number 1-\(CommandLimits.maxEnrollid))"
    )
}

/// A value shown in an error, shortened to one readable line (a photo is megabytes).
struct Shown: CustomStringConvertible {
    let value: JSONValue

    init(_ value: JSONValue) {
        self.value = value
    }

    var description: String {
        let text = value.description
        return text.count <= 60 ? text : String(text.prefix(57)) + "..."
    }
}
