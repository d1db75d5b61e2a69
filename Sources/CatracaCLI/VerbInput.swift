import CatracaJSON

/// The words and flags given to one verb, with readers that turn them into params values and give
/// usage errors that name the flag or argument.
public struct VerbInput: Sendable {
    /// The positional arguments after the verb's words.
    public var arguments: [String]
    public var options: ParsedCommandLine
    public var context: VerbContext
    /// The help to point at in errors.
    public var help: String

    public init(arguments: [String], options: ParsedCommandLine, context: VerbContext, help: String) {
        self.arguments = arguments
        self.options = options
        self.context = context
        self.help = help
    }

    public func usage(_ message: String) -> CLIUsageError { CLIUsageError(message, help: help) }

    /// The argument at `index`, or nil when an optional one was not given.
    public func argument(_ index: Int) -> String? { index < arguments.count ? arguments[index] : nil }

    /// The argument at `index` as a whole number; `name` is how help names it.
    public func integerArgument(_ index: Int, name: String) throws -> Int? {
        guard let text = argument(index) else { return nil }
        guard let value = Int(text) else { throw usage("\(name) \"\(text)\" is not a whole number") }
        return value
    }

    /// The enrollid argument at `index` (required).
    public func enrollid(_ index: Int = 0) throws -> JSONValue {
        guard let value = try integerArgument(index, name: "ID") else { throw usage("an enrollid (ID) is needed") }
        return .integer(value)
    }

    /// The value of `flag` as it was given.
    public func string(_ flag: String) -> JSONValue? { options.value(flag).map { .string($0) } }

    /// The value of `flag` as the start of a validity period (`starttime`). The terminals take a date and
    /// time; a date alone, `YYYY-MM-DD`, means its first second. Anything else goes as given and the
    /// daemon says what is wrong with it.
    public func validityStart(_ flag: String) -> JSONValue? { validity(flag, timeOfDay: "00:00:00") }

    /// The value of `flag` as the end of a validity period (`endtime`): a date alone means its last second.
    public func validityEnd(_ flag: String) -> JSONValue? { validity(flag, timeOfDay: "23:59:59") }

    private func validity(_ flag: String, timeOfDay: String) -> JSONValue? {
        guard let text = options.value(flag) else { return nil }
        return .string(VerbInput.isDate(text) ? "\(text) \(timeOfDay)" : text)
    }

    /// Whether `text` has the shape `YYYY-MM-DD` (digits and dashes; the daemon checks the values).
    static func isDate(_ text: String) -> Bool {
        let characters = Array(text)
        guard characters.count == 10 else { return false }
        return characters.indices.allSatisfy { index in
            let character = characters[index]
            return index == 4 || index == 7 ? character == "-" : character.isASCII && character.isNumber
        }
    }

    /// The value of `flag` as a whole number.
    public func integer(_ flag: String) throws -> JSONValue? {
        guard let text = options.value(flag) else { return nil }
        guard let value = Int(text) else { throw usage("\(flag) \"\(text)\" is not a whole number") }
        return .integer(value)
    }

    /// The value of `flag` read as `on`/`off` (also yes/no, true/false, 1/0), sent as 1/0.
    public func onOff(_ flag: String) throws -> JSONValue? {
        guard let text = options.value(flag) else { return nil }
        return .integer(try VerbInput.onOff(text, name: flag, help: help) ? 1 : 0)
    }

    /// The value of `flag` looked up by name in `choices`, or given as one of their numbers.
    public func choice(_ flag: String, _ choices: [(String, Int)]) throws -> JSONValue? {
        guard let text = options.value(flag) else { return nil }
        if let match = choices.first(where: { $0.0 == text.lowercased() }) { return .integer(match.1) }
        if let number = Int(text), choices.contains(where: { $0.1 == number }) { return .integer(number) }
        let names = choices.map { "\($0.0) (\($0.1))" }.joined(separator: ", ")
        throw usage("\(flag) \"\(text)\": expected one of \(names)")
    }

    /// Reads `on`/`off` and its synonyms.
    public static func onOff(_ text: String, name: String, help: String) throws(CLIUsageError) -> Bool {
        switch text.lowercased() {
        case "on", "yes", "true", "1", "enable", "enabled": return true
        case "off", "no", "false", "0", "disable", "disabled": return false
        default: throw CLIUsageError("\(name) \"\(text)\": expected on or off", help: help)
        }
    }

    /// Refuses a destructive verb unless `--yes` was given.
    public func requireConfirmation(_ what: String) throws {
        guard options.isSet("--yes") else { throw usage("\(what); add --yes to confirm") }
    }
}

extension JSONObject {
    /// Sets `key` only when `value` is given.
    mutating func set(_ key: String, _ value: JSONValue?) {
        if let value { self[key] = value }
    }
}
