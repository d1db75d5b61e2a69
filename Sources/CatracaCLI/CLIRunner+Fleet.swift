import CatracaJSON

extension CLIRunner {
    /// `catraca terminals <verb> ...`: one command to every connected terminal; exit code the highest seen.
    func runFleet(_ given: [String]) throws -> Int32 {
        let table = VerbTable.fleet
        var arguments = given
        let preview = try ParsedCommandLine(arguments, flags: table.allFlags, help: "\(table.scope) --help")
        // `catraca terminals` alone lists them, as it always has.
        if preview.words.isEmpty, !preview.isSet("--help") { arguments.insert("list", at: 0) }
        guard case .plan(let verb, let plan, let options) = try table.parse(
            arguments, context: verbContext(configPath: preview.value("--config")))
        else {
            standardOutput(table.help(for: preview.words))
            return ExitCode.success
        }
        let (client, _) = try client(options)
        let json = options.isSet("--json")
        if verb.path == ["list"] {
            let response = try client.get("/v1/terminals")
            guard response.isSuccess else { return report(response, json: json) }
            standardOutput(json ? response.text + "\n" : ReplyRenderer.terminals(response.json?.object ?? [:]))
            return ExitCode.success
        }
        let query = try replyTimeout(options).map { "?timeout=\(APIPath.number($0))" } ?? ""
        guard plan.calls.count == 1, let call = plan.calls.first else {
            throw CLIUsageError("\(verb.path.joined(separator: " ")) cannot be sent to every terminal at once")
        }
        let results: [JSONObject]
        switch call {
        case .command(let name, let params):
            let response = try client.post(APIPath.fleetCommand(name) + query, body: .object(params))
            guard response.isSuccess else { return report(response, json: json) }
            if json { standardOutput(response.text + "\n") }
            results = (response.json?["results"]?.array ?? []).compactMap(\.object)
        case .raw(let message, let expectReply):
            results = try rawToEveryTerminal(message, expectReply: expectReply, client: client, query: query)
            if json { standardOutput(JSONWriter().text(["results": .array(results.map { .object($0) })]) + "\n") }
        }
        if !json { standardOutput(ReplyRenderer.fleetResults(results)) }
        return results.map(exitCode).max() ?? ExitCode.success
    }

    /// The raw endpoint serves one terminal at a time: the message goes to each connected terminal in turn,
    /// and the results take the shape of the fleet endpoint's.
    private func rawToEveryTerminal(_ message: JSONObject, expectReply: Bool, client: APIClient,
                                    query: String) throws -> [JSONObject] {
        let listing = try client.get("/v1/terminals")
        guard listing.isSuccess else { throw FleetListingError(error: APIErrorBody(response: listing)) }
        let connected = (listing.json?["terminals"]?.array ?? []).compactMap(\.object)
            .filter { $0["connected"]?.bool == true }.compactMap { $0["sn"]?.string }
        let body: JSONValue = ["message": .object(message), "expect_reply": .bool(expectReply)]
        return try connected.map { sn -> JSONObject in
            let response = try client.post(APIPath.raw(sn: sn) + query, body: body)
            var result: JSONObject = ["sn": .string(sn), "ok": .bool(response.isSuccess)]
            let object = response.json?.object ?? JSONObject()
            if response.isSuccess {
                result["outcome"] = object["outcome"] ?? .null
                result["reply"] = object["reply"] ?? .null
            } else {
                let error = APIErrorBody(response: response)
                result["error"] = .object(object["error"]?.object ?? ["code": .null, "message": .string(error.message)])
            }
            return result
        }
    }

    private func exitCode(_ result: JSONObject) -> Int32 {
        guard result["ok"]?.bool != true else { return ExitCode.success }
        return ExitCode.forErrorCode(result["error"]?["code"]?.string)
    }
}

/// The terminal listing needed to send a raw message to every terminal could not be had.
struct FleetListingError: Error, CustomStringConvertible {
    var error: APIErrorBody
    var description: String { "cannot list the terminals: \(error.sentence)" }
}
