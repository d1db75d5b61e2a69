import CatracaJSON

extension CLIRunner {
    static let callsHelp = """
        usage: catraca calls [--sn SN] [--limit N]
            Lists finished intercom calls and monitoring sessions, newest first (GET /v1/calls): who called,
            which phones rang, which answered, how long, how it ended. --limit defaults to 100 (at most 1000).

        """ + GlobalFlags.help + "\n"

    /// `catraca calls ...`.
    func runCalls(_ arguments: [String]) throws -> Int32 {
        let flags = GlobalFlags.all + [CLIFlag("--sn", "SN"), CLIFlag("--limit", "N")]
        let options = try ParsedCommandLine(arguments, flags: flags, help: "catraca calls --help")
        if options.isSet("--help") {
            standardOutput(CLIRunner.callsHelp)
            return ExitCode.success
        }
        guard options.words.isEmpty else {
            throw CLIUsageError("calls takes flags only, not \"\(options.words.joined(separator: " "))\"",
                                help: "catraca calls --help")
        }
        let (client, _) = try client(options)
        let items = ["--sn", "--limit"].compactMap { flag in
            options.value(flag).map { (String(flag.dropFirst(2)), $0) }
        }
        let path = items.isEmpty ? "/v1/calls"
            : "/v1/calls?" + items.map { "\($0.0)=\(APIPath.queryValue($0.1))" }.joined(separator: "&")
        let response = try client.get(path)
        let json = options.isSet("--json")
        guard response.isSuccess else { return report(response, json: json) }
        standardOutput(json ? response.text + "\n" : CLIRunner.callsTable(response.json?["calls"]?.array ?? []))
        return ExitCode.success
    }

    static func callsTable(_ calls: [JSONValue]) -> String {
        let columns = ["id", "kind", "sn", "input_number", "rang", "answered_by", "started_at", "duration_seconds",
                       "ending"]
        let rows = calls.compactMap(\.object).map { call in
            columns.map { column -> String in
                guard let value = call[column], value != .null else { return "-" }
                if let phones = value.array { return phones.compactMap(\.string).joined(separator: ",") }
                if column == "duration_seconds", let seconds = value.double { return String(format: "%.1f", seconds) }
                return ReplyRenderer.cell(value)
            }
        }
        let header = ["ID", "KIND", "SN", "DIALLED", "RANG", "ANSWERED BY", "STARTED", "SECONDS", "ENDING"]
        return TextTable(header: header, rows: rows).render() + "\(rows.count) calls\n"
    }
}
