/// A command line split into words (verb and arguments) and flags, before the verb is known.
///
/// `--flag value` and `--flag=value` are both accepted; a value flag may be given several times (the
/// verb says whether it may); `--` ends the flags, so a word may start with dashes after it.
public struct ParsedCommandLine: Equatable, Sendable {
    public private(set) var words: [String] = []
    private var values: [String: [String]] = [:]
    private var switches: Set<String> = []
    /// Every flag given, in order of first appearance.
    public private(set) var flagsGiven: [String] = []

    public init(_ arguments: [String], flags: [CLIFlag], help: String) throws(CLIUsageError) {
        let known = Dictionary(flags.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var index = 0
        var flagsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if flagsEnded || !argument.hasPrefix("--") || argument.count == 2 {
                if argument == "--" && !flagsEnded { flagsEnded = true } else { words.append(argument) }
                continue
            }
            let (name, inline) = ParsedCommandLine.split(argument)
            guard let flag = known[name] else { throw CLIUsageError("unknown flag \(name)", help: help) }
            note(name)
            guard flag.takesValue else {
                if inline != nil { throw CLIUsageError("\(name) takes no value", help: help) }
                switches.insert(name)
                continue
            }
            if let inline {
                values[name, default: []].append(inline)
            } else {
                guard index < arguments.count else {
                    throw CLIUsageError("\(name) needs a value (\(flag.valueName ?? "VALUE"))", help: help)
                }
                values[name, default: []].append(arguments[index])
                index += 1
            }
        }
    }

    /// The value of `flag`, the last one when given several times.
    public func value(_ flag: String) -> String? { values[flag]?.last }

    /// Every value of `flag`, in order.
    public func values(_ flag: String) -> [String] { values[flag] ?? [] }

    /// Whether the switch `flag` was given.
    public func isSet(_ flag: String) -> Bool { switches.contains(flag) }

    /// Whether `flag` was given at all, as a switch or with a value.
    public func has(_ flag: String) -> Bool { flagsGiven.contains(flag) }

    private mutating func note(_ name: String) {
        if !flagsGiven.contains(name) { flagsGiven.append(name) }
    }

    private static func split(_ argument: String) -> (String, String?) {
        guard let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
