import CatracaCore
import CatracaHTTP
import CatracaJSON
import CatracaTerminal

/// `POST /v1/terminals/{sn}/commands/{name}`, `POST /v1/terminals/commands/{name}`, `POST /v1/terminals/{sn}/raw`.
extension OperatorAPI {
    func command(_ name: String, sn: String, params: JSONObject, query: QueryParameters, caller: CallerPresence,
                 respond: @escaping (HTTPResponse) -> Void) throws {
        try query.requireOnly(["timeout"])
        let timeout = try OperatorAPI.replyTimeout(query)
        let command = try catalog.make(name, params)
        let ticket = commander.execute(command, sn: sn, replyTimeout: timeout) { [self] result in
            switch result {
            case .success(let outcome):
                respond(APIResponse.json(commandResult(sn: sn, command: command, outcome: outcome, normalized: true)))
            case .failure(let failure):
                respond(APIError(failure, normalize: { catalog.normalize(command, $0) }).response)
            }
        }
        withdraw(ticket, whenGone: caller)
    }

    /// Cancels a queued command once its caller has gone; after the answer the responder no longer says so.
    private func withdraw(_ ticket: CommandTicket?, whenGone caller: CallerPresence) {
        guard let ticket else { return }
        caller.onGone { [weak commander] in commander?.cancel(ticket) }
    }

    /// Every connected terminal at once; the terminals still waiting when the caller goes are withdrawn.
    func broadcast(_ name: String, params: JSONObject, query: QueryParameters, caller: CallerPresence,
                   respond: @escaping (HTTPResponse) -> Void) throws {
        try query.requireOnly(["timeout"])
        let timeout = try OperatorAPI.replyTimeout(query)
        let command = try catalog.make(name, params)
        let serialNumbers = commander.connectedSerialNumbers
        var results = [JSONValue?](repeating: nil, count: serialNumbers.count)
        var remaining = serialNumbers.count
        guard remaining > 0 else { return respond(APIResponse.json(["results": []])) }

        var unanswered: [String: CommandTicket] = [:]
        for (index, sn) in serialNumbers.enumerated() {
            let ticket = commander.execute(command, sn: sn, replyTimeout: timeout) { [self] result in
                unanswered[sn] = nil
                results[index] = .object(broadcastEntry(sn: sn, command: command, result: result))
                remaining -= 1
                if remaining == 0 { respond(APIResponse.json(["results": .array(results.compactMap { $0 })])) }
            }
            if let ticket, results[index] == nil { unanswered[sn] = ticket }
        }
        caller.onGone { [weak commander] in
            for ticket in unanswered.values { commander?.cancel(ticket) }
        }
    }

    func raw(sn: String, body: JSONObject, query: QueryParameters, caller: CallerPresence,
             respond: @escaping (HTTPResponse) -> Void) throws {
        try query.requireOnly(["timeout"])
        let timeout = try OperatorAPI.replyTimeout(query)
        try OperatorAPI.requireOnly(["message", "expect_reply"], in: body)
        guard let message = body["message"]?.object else {
            throw APIError.invalidRequest("raw needs \"message\": the object to send, e.g. {\"cmd\": \"getdevinfo\"}")
        }
        let expectReply = try body["expect_reply"].map { value -> Bool in
            guard case .bool(let flag) = value else {
                throw APIError.invalidRequest("expect_reply must be true or false")
            }
            return flag
        } ?? true
        let command = try catalog.raw(message, expectReply)
        let ticket = commander.execute(command, sn: sn, replyTimeout: timeout) { [self] result in
            switch result {
            case .success(let outcome):
                respond(APIResponse.json(commandResult(sn: sn, command: command, outcome: outcome, normalized: false)))
            case .failure(let failure):
                respond(APIError(failure, normalize: { $0 }).response)
            }
        }
        withdraw(ticket, whenGone: caller)
    }

    /// `{"sn", "command", "outcome", "reply"}`; the reply normalized unless it is a raw command's.
    private func commandResult(sn: String, command: TerminalCommand, outcome: CommandOutcome,
                               normalized: Bool) -> JSONObject {
        var result: JSONObject = ["sn": .string(sn), "command": .string(command.name)]
        switch outcome {
        case .replied(let reply):
            result["outcome"] = "replied"
            result["reply"] = .object(normalized ? catalog.normalize(command, reply) : reply)
        case .sent:
            result["outcome"] = "sent"
            result["reply"] = .null
        }
        return result
    }

    private func broadcastEntry(sn: String, command: TerminalCommand,
                                result: Result<CommandOutcome, CommandFailure>) -> JSONObject {
        switch result {
        case .success(let outcome):
            var entry: JSONObject = ["sn": .string(sn), "ok": true]
            let answer = commandResult(sn: sn, command: command, outcome: outcome, normalized: true)
            entry["outcome"] = answer["outcome"]
            entry["reply"] = answer["reply"]
            return entry
        case .failure(let failure):
            let error = APIError(failure, normalize: { catalog.normalize(command, $0) })
            return ["sn": .string(sn), "ok": false, "error": .object(error.object)]
        }
    }

    /// `?timeout=S`: the reply timeout for this call, in seconds; nil uses the configured one.
    static func replyTimeout(_ query: QueryParameters) throws -> TimeSpan? {
        guard let text = query["timeout"] else { return nil }
        guard let seconds = Double(text), seconds > 0, seconds <= longestTimeoutSeconds else {
            throw APIError.invalidRequest("timeout=\(text.prefix(40)): expected seconds above 0 and at most "
                                          + "\(Int(longestTimeoutSeconds))")
        }
        return .seconds(seconds)
    }

    static func requireOnly(_ known: [String], in body: JSONObject) throws {
        for key in body.keys where !known.contains(key) {
            throw APIError.invalidRequest("unknown member \"\(key.prefix(40))\" in the body; known here: "
                                          + known.joined(separator: ", "))
        }
    }
}
