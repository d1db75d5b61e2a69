/// The verbs of one scope — `catraca terminal SN` or `catraca terminals` — and how a command line is
/// matched to one of them.
public struct VerbTable: Sendable {
    /// How the scope is typed, e.g. `catraca terminal SN`.
    public var scope: String
    public var verbs: [Verb]
    /// Said under the verb list in help.
    public var note: String

    /// Every verb for one terminal.
    public static let terminal = VerbTable(
        scope: "catraca terminal SN",
        verbs: DeviceVerbs.all + UserVerbs.all + LogVerbs.all + DoorLockVerbs.all + UserLockVerbs.all
            + QuestionnaireVerbs.all + IntercomVerbs.all,
        note: """
            Each verb sends the protocol command named in its help to terminal SN through the daemon's API and
            shows the reply. Exit codes: 0 done, 1 other failure (API unreachable, unauthorized), 2 usage or
            validation error, 3 terminal refused, 4 terminal unknown/offline/disconnected, 5 no reply in time,
            6 terminal protocol error.
            """)

    /// The paths of terminal verbs that make sense for every connected terminal at once.
    static let fleetPaths: [[String]] = [
        ["info"], ["time"], ["sync-time"], ["set-time"], ["open-door"], ["reboot"], ["set-info"], ["server-verify"],
        ["door-lock"], ["door-lock", "set"], ["raw"],
    ]

    /// The verb that lists terminals (answered by the API itself, not by the terminals).
    public static let listVerb = Verb(["list"], summary: "lists the terminals the daemon knows and their state",
                                      details: "GET /v1/terminals; the database listing is `catraca terminals --db`") {
        _ in VerbPlan([])
    }

    /// Verbs sent to every connected terminal at once.
    public static let fleet = VerbTable(
        scope: "catraca terminals",
        verbs: [listVerb] + fleetPaths.compactMap { path in terminal.verbs.first { $0.path == path } },
        note: """
            Each verb but list goes to every connected terminal at once; a table shows each terminal's result.
            Exit code: 0 when every terminal succeeded, else the highest code seen (see catraca terminal --help).
            The old listing from the database stays: catraca terminals [--db FILE] [--format table|csv|jsonl].
            """)

    /// Every flag any verb of this table takes, plus the global ones.
    public var allFlags: [CLIFlag] {
        var seen = Set<String>()
        return (GlobalFlags.all + verbs.flatMap(\.flags)).filter { seen.insert($0.name).inserted }
    }

    /// The verb whose words are the longest prefix of `words`, and the words left as its arguments.
    public func match(_ words: [String]) -> (verb: Verb, arguments: [String])? {
        let candidates = verbs.filter { words.starts(with: $0.path) }
        guard let best = candidates.max(by: { $0.path.count < $1.path.count }) else { return nil }
        return (best, Array(words.dropFirst(best.path.count)))
    }

    /// What a command line in this scope asks for.
    public enum Parsed {
        case help(String)
        case plan(Verb, VerbPlan, ParsedCommandLine)
    }

    /// Splits `arguments` (after the scope's words), finds the verb, checks its flags and arguments, and builds
    /// its calls.
    public func parse(_ arguments: [String], context: VerbContext) throws -> Parsed {
        let options = try ParsedCommandLine(arguments, flags: allFlags, help: "\(scope) --help")
        if options.isSet("--help") { return .help(help(for: options.words)) }
        guard let first = options.words.first else {
            throw CLIUsageError("a verb is needed, e.g. \(scope) info", help: "\(scope) --help")
        }
        guard let (verb, verbArguments) = match(options.words) else {
            throw CLIUsageError("unknown verb \"\(first)\"", help: "\(scope) --help")
        }
        let helpHint = "\(scope) \(verb.path.joined(separator: " ")) --help"
        try check(options, verbArguments, against: verb, help: helpHint)
        let input = VerbInput(arguments: verbArguments, options: options, context: context, help: helpHint)
        return .plan(verb, try verb.build(input), options)
    }

    private func check(_ options: ParsedCommandLine, _ arguments: [String], against verb: Verb,
                       help: String) throws(CLIUsageError) {
        let name = verb.path.joined(separator: " ")
        let allowed = Set((GlobalFlags.all + verb.flags).map(\.name))
        if let stray = options.flagsGiven.first(where: { !allowed.contains($0) }) {
            throw CLIUsageError("\(name) does not take \(stray)", help: help)
        }
        let repeated = verb.flags.first { !verb.repeatable.contains($0.name) && options.values($0.name).count > 1 }
        if let repeated {
            throw CLIUsageError("\(repeated.name) is given more than once", help: help)
        }
        if arguments.count < verb.requiredArgumentCount {
            let missing = verb.arguments[arguments.count]
            throw CLIUsageError("\(name) needs \(missing)", help: help)
        }
        if arguments.count > verb.arguments.count {
            let extra = arguments[verb.arguments.count...].joined(separator: " ")
            throw CLIUsageError("\(name) does not take \"\(extra)\"", help: help)
        }
    }
}
