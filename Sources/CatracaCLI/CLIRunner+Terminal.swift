import CatracaJSON
import Foundation

extension CLIRunner {
    /// `catraca terminal SN <verb> ...`: the verb's calls in order, stopping at the first failure.
    func runTerminal(_ arguments: [String]) throws -> Int32 {
        let table = VerbTable.terminal
        guard let sn = arguments.first, !sn.hasPrefix("-") else {
            if arguments.contains("--help") {
                standardOutput(table.help(for: []))
                return ExitCode.success
            }
            throw CLIUsageError("terminal needs a serial number: catraca terminal SN <verb>",
                                help: "catraca terminal --help")
        }
        let rest = Array(arguments.dropFirst())
        let preview = try ParsedCommandLine(rest, flags: table.allFlags, help: "\(table.scope) --help")
        switch try table.parse(rest, context: verbContext(configPath: preview.value("--config"))) {
        case .help(let text):
            standardOutput(text)
            return ExitCode.success
        case .plan(_, let plan, let options):
            let (client, _) = try client(options)
            return try execute(plan, sn: sn, client: client, options: options)
        }
    }

    private func execute(_ plan: VerbPlan, sn: String, client: APIClient, options: ParsedCommandLine) throws -> Int32 {
        let json = options.isSet("--json")
        let query = try replyTimeout(options).map { "?timeout=\(APIPath.number($0))" } ?? ""
        for call in plan.calls {
            let response: APIResponse
            switch call {
            case .command(let name, let params):
                response = try client.post(APIPath.command(name, sn: sn) + query, body: .object(params))
            case .raw(let message, let expectReply):
                let body: JSONValue = ["message": .object(message), "expect_reply": .bool(expectReply)]
                response = try client.post(APIPath.raw(sn: sn) + query, body: body)
            }
            guard response.isSuccess else { return report(response, json: json) }
            if json {
                standardOutput(response.text + "\n")
            } else {
                try show(response, presentation: plan.presentation)
            }
        }
        return ExitCode.success
    }

    private func show(_ response: APIResponse, presentation: Presentation) throws {
        let result = response.json?.object ?? JSONObject()
        guard case .credential(let outFile) = presentation, let reply = result["reply"]?.object else {
            standardOutput(ReplyRenderer.commandResult(result, presentation: presentation))
            return
        }
        standardOutput(try CredentialOutput(reply: reply).show(writingTo: outFile, writeFile: writeFile))
    }
}

/// Paths of the API's endpoints, with serial numbers and names percent-encoded.
enum APIPath {
    static func command(_ name: String, sn: String) -> String {
        "/v1/terminals/\(segment(sn))/commands/\(segment(name))"
    }

    static func fleetCommand(_ name: String) -> String { "/v1/terminals/commands/\(segment(name))" }

    static func raw(sn: String) -> String { "/v1/terminals/\(segment(sn))/raw" }

    /// `/v1/records?...` with the given query items, values percent-encoded.
    static func records(_ items: [(String, String)]) -> String { query("/v1/records", items) }

    /// `path?...` with the given query items, values percent-encoded; `path` alone without items.
    static func query(_ path: String, _ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return path }
        return path + "?" + items.map { "\($0.0)=\(queryValue($0.1))" }.joined(separator: "&")
    }

    /// A number of seconds as the query writes it: `20`, `2.5`.
    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func queryValue(_ text: String) -> String { segment(text) }
}
