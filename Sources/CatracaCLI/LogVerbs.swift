import CatracaJSON

/// Verbs about the records a terminal holds.
enum LogVerbs {
    static let all: [Verb] = [
        Verb(["logs"], flags: [CLIFlag("--new"), CLIFlag("--all"), CLIFlag("--from", "YYYY-MM-DD"),
                               CLIFlag("--to", "YYYY-MM-DD")],
             summary: "fetches records from the terminal (they are also stored, deduplicated)",
             details: """
                 sends getnewlog page by page (--new, the default: the records the terminal holds as new),
                 or getalllog {"from", "to"} with --all (every record, between the dates given; the protocol
                 needs both, so a missing --from is 2000-01-01 and a missing --to 2099-12-31)
                 """, build: logs),
        Verb(["logs", "clear"], flags: [CLIFlag("--yes")], summary: "erases the terminal's records (needs --yes)",
             details: "sends cleanlog") { input in
            try input.requireConfirmation("logs clear erases every record held by the terminal")
            return .command("cleanlog")
        },
    ]

    /// The dates `logs --all` asks between when the operator gives none: before any terminal's first record
    /// and after its last, without depending on this box's clock.
    static let earliestDate = "2000-01-01"
    static let latestDate = "2099-12-31"

    @Sendable static func logs(_ input: VerbInput) throws -> VerbPlan {
        let dated = input.options.has("--from") || input.options.has("--to")
        if input.options.isSet("--new") {
            guard !input.options.isSet("--all") else { throw input.usage("--new and --all contradict each other") }
            guard !dated else { throw input.usage("--from and --to go with --all") }
        }
        guard input.options.isSet("--all") else {
            if dated { throw input.usage("--from and --to go with --all") }
            return .command("getnewlog", presentation: .logs)
        }
        var params = JSONObject()
        params.set("from", input.string("--from") ?? .string(LogVerbs.earliestDate))
        params.set("to", input.string("--to") ?? .string(LogVerbs.latestDate))
        return .command("getalllog", params, presentation: .logs)
    }
}
