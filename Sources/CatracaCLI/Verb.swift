/// One verb of `catraca terminal SN ...` or `catraca terminals ...`: its words, arguments, flags, help,
/// and how it turns into API calls.
public struct Verb: Sendable {
    /// The verb's words, e.g. `["user", "set"]`.
    public var path: [String]
    /// Positional arguments after the words, e.g. `["ID"]`; a name in brackets (`[N]`) is optional.
    public var arguments: [String]
    /// The flags this verb takes, besides the global ones.
    public var flags: [CLIFlag]
    /// Flags that may be given more than once.
    public var repeatable: Set<String>
    /// One line: what the verb does.
    public var summary: String
    /// What is sent to the terminal, in words, and flag details.
    public var details: String
    /// Builds the calls from the words and flags.
    public var build: @Sendable (VerbInput) throws -> VerbPlan

    public init(_ path: [String], arguments: [String] = [], flags: [CLIFlag] = [], repeatable: Set<String> = [],
                summary: String, details: String = "", build: @escaping @Sendable (VerbInput) throws -> VerbPlan) {
        self.path = path
        self.arguments = arguments
        self.flags = flags
        self.repeatable = repeatable
        self.summary = summary
        self.details = details
        self.build = build
    }

    /// `user set ID [flags]`, as shown in help.
    public var synopsis: String {
        let flagNames = flags.map { flag in flag.valueName.map { "\(flag.name) \($0)" } ?? flag.name }
        return (path + arguments + (flagNames.isEmpty ? [] : ["[flags]"])).joined(separator: " ")
    }

    /// Number of arguments that must be given.
    var requiredArgumentCount: Int { arguments.filter { !$0.hasPrefix("[") }.count }
}
