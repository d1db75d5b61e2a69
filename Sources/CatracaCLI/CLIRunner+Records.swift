import CatracaJSON

extension CLIRunner {
    static let recordFilters = ["--sn", "--from", "--to", "--enrollid", "--limit", "--after"]

    static let recordsHelp = """
        usage: catraca records [--sn SN] [--from D] [--to D] [--enrollid ID] [--limit N] [--after ID] [--all]
            Lists stored records (GET /v1/records): --from/--to compare the terminal's time (YYYY-MM-DD or
            "YYYY-MM-DD HH:MM:SS", inclusive); --after is the cursor (the last id seen); --limit is per page
            (default 100, at most 1000); --all follows the cursor to the end.
        usage: catraca status
            Shows the daemon, its store and its terminals (GET /v1/status).

        """ + GlobalFlags.help + "\n"

    /// `catraca status`: the daemon, its store and its terminals.
    func runStatus(_ arguments: [String]) throws -> Int32 {
        let options = try ParsedCommandLine(arguments, flags: GlobalFlags.all, help: "catraca status --help")
        if options.isSet("--help") {
            standardOutput(CLIRunner.recordsHelp)
            return ExitCode.success
        }
        guard options.words.isEmpty else { throw CLIUsageError("status takes no words", help: "catraca status --help") }
        let (client, _) = try client(options)
        let response = try client.get("/v1/status")
        guard response.isSuccess else { return report(response, json: options.isSet("--json")) }
        let json = options.isSet("--json")
        standardOutput(json ? response.text + "\n" : ReplyRenderer.fields(response.json?.object ?? [:]))
        return ExitCode.success
    }

    /// `catraca records ...`: one page, or every page with `--all`.
    func runRecords(_ arguments: [String]) throws -> Int32 {
        let flags = GlobalFlags.all + CLIRunner.recordFilters.map { CLIFlag($0, "VALUE") } + [CLIFlag("--all")]
        let options = try ParsedCommandLine(arguments, flags: flags, help: "catraca records --help")
        if options.isSet("--help") {
            standardOutput(CLIRunner.recordsHelp)
            return ExitCode.success
        }
        guard options.words.isEmpty else {
            throw CLIUsageError("records takes flags only, not \"\(options.words.joined(separator: " "))\"",
                                help: "catraca records --help")
        }
        let (client, _) = try client(options)
        let json = options.isSet("--json")
        var items = CLIRunner.recordFilters.compactMap { flag in
            options.value(flag).map { (String(flag.dropFirst(2)), $0) }
        }
        var records: [JSONValue] = []
        while true {
            let response = try client.get(APIPath.records(items))
            guard response.isSuccess else { return report(response, json: json) }
            let page = response.json?.object ?? JSONObject()
            guard options.isSet("--all") else {
                standardOutput(json ? response.text + "\n" : ReplyRenderer.records(page["records"]?.array ?? []))
                return ExitCode.success
            }
            records += page["records"]?.array ?? []
            guard let next = page["next"], next != .null, let cursor = next.string else { break }
            items.removeAll { $0.0 == "after" }
            items.append(("after", cursor))
        }
        let merged: JSONValue = ["records": .array(records), "next": .null]
        standardOutput(json ? JSONWriter().text(merged) + "\n" : ReplyRenderer.records(records))
        return ExitCode.success
    }
}
