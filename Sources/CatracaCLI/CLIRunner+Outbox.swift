import CatracaJSON

extension CLIRunner {
    static let outboxHelp = """
        usage: catraca outbox status
            Shows what waits for upstream: the backlog, the age of its oldest entry, each transport's last
            error, next retry, delivered entries and parked batches, and whether the backlog alarm is raised
            (the outbox part of GET /v1/status).
        usage: catraca outbox retry [--parked]
            Retries now instead of waiting for the back-off (POST /v1/outbox/retry); --parked first puts
            the parked batches back in line, to be sent again with their old idempotency keys.
        usage: catraca outbox parked
            Lists the batches upstream refused for good, with its answer (GET /v1/outbox/parked).

        """ + GlobalFlags.help + "\n"

    /// `catraca outbox status|retry [--parked]|parked`.
    func runOutbox(_ arguments: [String]) throws -> Int32 {
        let options = try ParsedCommandLine(arguments, flags: GlobalFlags.all + [CLIFlag("--parked")],
                                            help: "catraca outbox --help")
        if options.isSet("--help") {
            standardOutput(CLIRunner.outboxHelp)
            return ExitCode.success
        }
        guard options.words.count == 1, let verb = options.words.first else {
            throw CLIUsageError("outbox takes one verb: status, retry or parked", help: "catraca outbox --help")
        }
        if options.isSet("--parked") && verb != "retry" {
            throw CLIUsageError("--parked goes with retry", help: "catraca outbox --help")
        }
        let (client, _) = try client(options)
        let json = options.isSet("--json")
        switch verb {
        case "status":
            let response = try client.get("/v1/status")
            guard response.isSuccess else { return report(response, json: json) }
            let outbox = response.json?["outbox"]?.object ?? [:]
            standardOutput(json ? JSONWriter().text(.object(outbox)) + "\n" : CLIRunner.outboxStatus(outbox))
        case "retry":
            let body: JSONValue = options.isSet("--parked") ? ["parked": true] : [:]
            let response = try client.post("/v1/outbox/retry", body: body)
            guard response.isSuccess else { return report(response, json: json) }
            standardOutput(json ? response.text + "\n" : ReplyRenderer.fields(response.json?.object ?? [:]))
        case "parked":
            let response = try client.get("/v1/outbox/parked")
            guard response.isSuccess else { return report(response, json: json) }
            standardOutput(json ? response.text + "\n" : CLIRunner.parkedTable(response.json?["parked"]?.array ?? []))
        default:
            throw CLIUsageError("unknown outbox verb \"\(verb)\"", help: "catraca outbox --help")
        }
        return ExitCode.success
    }

    static func outboxStatus(_ outbox: JSONObject) -> String {
        var lines = TextTable(rows: [
            ["backlog", ReplyRenderer.cell(outbox["backlog"] ?? .null)],
            ["oldest_undelivered_age_seconds", ReplyRenderer.cell(outbox["oldest_undelivered_age_seconds"] ?? .null)],
            ["alarm", ReplyRenderer.cell(outbox["alarm"] ?? .null)],
        ]).render()
        let transports = (outbox["transports"]?.array ?? []).compactMap(\.object)
        guard !transports.isEmpty else { return lines + "no upstream configured\n" }
        let columns = ["name", "connected", "delivered", "parked", "next_retry_at", "last_error"]
        lines += "\n" + TextTable(header: columns, rows: transports.map { transport in
            columns.map { ReplyRenderer.cell(transport[$0] ?? .null) }
        }).render()
        return lines
    }

    static func parkedTable(_ parked: [JSONValue]) -> String {
        guard !parked.isEmpty else { return "no parked batches\n" }
        let columns = ["transport", "key", "entries", "parked_at", "requeued", "reason"]
        return TextTable(header: columns, rows: parked.compactMap(\.object).map { batch in
            columns.map { ReplyRenderer.cell(batch[$0] ?? .null) }
        }).render()
    }
}
