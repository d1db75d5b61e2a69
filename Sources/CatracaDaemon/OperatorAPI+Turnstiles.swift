import CatracaCore
import CatracaGPIO
import CatracaHTTP
import CatracaJSON
import CatracaStore

/// `GET /v1/turnstiles`, `POST /v1/turnstiles/{name}/pulse`, `GET /v1/passages?turnstile=&after=&limit=`.
extension OperatorAPI {
    static let defaultPulseMilliseconds = 80
    static let longestPulseMilliseconds = 10_000
    static let defaultPassageLimit = 100
    static let largestPassageLimit = 1_000

    func turnstileList(respond: @escaping (HTTPResponse) -> Void) {
        let listed: [JSONValue] = (turnstiles?.summaries ?? []).map { summary in
            [
                "name": .string(summary.name), "in_direction": .string(summary.inDirection),
                "entry": .array(summary.entry.map(JSONValue.string)),
                "exit": .array(summary.exit.map(JSONValue.string)),
                "reports_turns": .array(summary.reportsTurns.map(JSONValue.string)),
                "input": .string(summary.input), "simulated": .bool(summary.simulated),
            ]
        }
        respond(APIResponse.json(["turnstiles": .array(listed)]))
    }

    /// Drives one pulse on a simulated input: the turnstile turns as if its board had pulsed the line.
    func pulse(turnstile name: String, body: JSONObject, respond: @escaping (HTTPResponse) -> Void) throws {
        let (line, milliseconds) = try OperatorAPI.pulseRequest(body)
        guard let turnstiles else { throw OperatorAPI.unknownTurnstile(name) }
        do {
            try turnstiles.pulse(turnstile: name, line: line, duration: .milliseconds(Int64(milliseconds)))
        } catch TurnstileServiceError.unknownTurnstile {
            throw OperatorAPI.unknownTurnstile(name)
        } catch let error as TurnstileServiceError {
            throw APIError(status: 409, code: "turnstile_not_simulated",
                           message: "\(error); use the board itself, or set gpio.chip to \"simulated\"")
        }
        var answer: JSONObject = [
            "turnstile": .string(name), "line": .string(line.rawValue), "ms": .integer(milliseconds),
        ]
        let verdict = turnstiles.pulseVerdict(turnstile: name, duration: .milliseconds(Int64(milliseconds)))
        answer["turn"] = .bool(verdict == nil)
        if let verdict { answer["note"] = .string(verdict) }
        respond(APIResponse.json(answer))
    }

    /// The line and the width of a pulse request `{"line": "fire-in", "ms": 80}`.
    static func pulseRequest(_ body: JSONObject) throws -> (TurnstileLine, Int) {
        let shape = "the body is {\"line\": \"fire-in\" or \"exit-button\", \"ms\": 1 to \(longestPulseMilliseconds)}"
        for key in body.keys where key != "line" && key != "ms" {
            throw APIError.invalidRequest("unknown member \"\(key)\"; \(shape)")
        }
        guard let name = body["line"]?.string, let line = TurnstileLine(rawValue: name) else {
            throw APIError.invalidRequest("\"line\" is missing or not a turnstile line; \(shape)")
        }
        guard let value = body["ms"] else { return (line, defaultPulseMilliseconds) }
        guard case .number = value, let milliseconds = value.int, (1...longestPulseMilliseconds).contains(milliseconds)
        else {
            throw APIError.invalidRequest("\"ms\" must be a whole number of milliseconds; \(shape)")
        }
        return (line, milliseconds)
    }

    static func unknownTurnstile(_ name: String) -> APIError {
        APIError(status: 404, code: "turnstile_unknown",
                 message: "no turnstile named \(name) in this site's configuration; GET /v1/turnstiles lists them")
    }

    /// Passages in the order they closed, a page at a time, with the cursor of the next page.
    func passages(query: QueryParameters, respond: @escaping (HTTPResponse) -> Void) throws {
        try query.requireOnly(["turnstile", "after", "limit"])
        let turnstile = query["turnstile"]
        let after = try query.integer("after", in: 0...Int64.max)
        let limit = Int(try query.integer("limit", in: 1...Int64(OperatorAPI.largestPassageLimit))
                        ?? Int64(OperatorAPI.defaultPassageLimit))
        // One more than the page is read to tell whether another page follows.
        reads.read({ try $0.passages(turnstile: turnstile, after: after, limit: limit + 1) }) { result in
            switch result {
            case .success(let read):
                let page = Array(read.prefix(limit))
                let next: JSONValue = read.count > limit ? page.last.map { .number(JSONNumber($0.id)) } ?? .null
                    : .null
                respond(APIResponse.json([
                    "passages": .array(page.map { .object(PassageExport.object($0)) }), "next": next,
                ]))
            case .failure(let error):
                respond(OperatorAPI.readFailure(error).response)
            }
        }
    }

    /// `/v1/status`'s `turnstiles`: each turnstile's input.
    var turnstileStatus: JSONValue {
        .array((turnstiles?.summaries ?? []).map { summary in
            ["name": .string(summary.name), "input": .string(summary.input), "simulated": .bool(summary.simulated)]
        })
    }
}
