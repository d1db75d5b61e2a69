import CatracaCore
import CatracaHTTP
import CatracaJSON
import CatracaServer
import CatracaTerminal
import CatracaUpstream
import Foundation

/// The operators' HTTP API (docs/api/openapi.yaml): terminals, commands to them, records, turnstiles and
/// passages, status.
///
/// Lives on the event loop. Store reads run on `StoreReads`' queue and hop back; commands are handed to
/// the `TerminalCommander`, whose completions run on the loop.
final class OperatorAPI {
    enum Endpoint {
        case status, terminals, terminal, records, command, broadcast, raw, outboxParked, outboxRetry, metrics
        case turnstiles, pulse, passages
        case calls
        case plugins, pluginsReload
    }

    /// Figures about the daemon the API reports but does not own.
    struct DaemonFigures {
        var unsavedRegistrations: Int
        var batchesInFlight: Int
    }

    let loop: EventLoop
    let commander: TerminalCommander
    /// The site's turnstiles; nil in a daemon started without them (tests of other parts).
    let turnstiles: TurnstileService?
    let reads: StoreReads
    let catalog: OperatorCommands
    let storePath: String
    let figures: () -> DaemonFigures
    /// The outbox's way upstream; set before the loop runs.
    var upstream: Upstream?
    /// The status page's sessions and event bus; nil serves the API alone (bearer token only).
    var statusPage: StatusPage?
    /// The site's rule plugins; set before the loop runs.
    var plugins: PluginSupervisor?
    /// Served at `GET /metrics`.
    let metrics: MetricsRegistry
    let startedAt: Date
    private let startedInstant: Instant
    private let token: String
    private let router: APIRouter<Endpoint>

    /// The longest `?timeout=` a caller may ask for.
    static let longestTimeoutSeconds = 3_600.0

    init(loop: EventLoop, commander: TerminalCommander, turnstiles: TurnstileService? = nil, reads: StoreReads,
         catalog: OperatorCommands, token: String, storePath: String, metrics: MetricsRegistry = MetricsRegistry(),
         figures: @escaping () -> DaemonFigures) {
        self.loop = loop
        self.commander = commander
        self.turnstiles = turnstiles
        self.reads = reads
        self.catalog = catalog
        self.token = token
        self.storePath = storePath
        self.figures = figures
        self.metrics = metrics
        startedAt = loop.timeSource.wallClock
        startedInstant = loop.timeSource.now
        router = OperatorAPI.routes()
    }

    private static func routes() -> APIRouter<Endpoint> {
        var router = APIRouter<Endpoint>()
        router.add("GET", "/v1/status", .status)
        router.add("GET", "/metrics", .metrics)
        router.add("GET", "/v1/terminals", .terminals)
        router.add("GET", "/v1/records", .records)
        router.add("GET", "/v1/calls", .calls)
        router.add("POST", "/v1/terminals/commands/{name}", .broadcast)
        router.add("GET", "/v1/terminals/{sn}", .terminal)
        router.add("POST", "/v1/terminals/{sn}/commands/{name}", .command)
        router.add("POST", "/v1/terminals/{sn}/raw", .raw)
        router.add("GET", "/v1/outbox/parked", .outboxParked)
        router.add("POST", "/v1/outbox/retry", .outboxRetry)
        router.add("GET", "/v1/turnstiles", .turnstiles)
        router.add("POST", "/v1/turnstiles/{name}/pulse", .pulse)
        router.add("GET", "/v1/passages", .passages)
        router.add("GET", "/v1/plugins", .plugins)
        router.add("POST", "/v1/plugins/reload", .pluginsReload)
        return router
    }

    /// Seconds since the API started.
    var uptimeSeconds: Int { Int(loop.timeSource.now.since(startedInstant).seconds) }

    /// Answers `request` with the bearer token alone; `respond` is called once, on the event loop, maybe later.
    func handle(_ request: HTTPRequest, caller: CallerPresence = CallerPresence(),
                respond: @escaping (HTTPResponse) -> Void) {
        guard isAuthorized(request.head) else { return respond(APIError.unauthorized.response) }
        answer(request, caller: caller, respond: respond)
    }

    /// Answers an authenticated request to one of the API's endpoints; a command still waiting for its
    /// terminal is withdrawn once `caller` has gone.
    func answer(_ request: HTTPRequest, caller: CallerPresence = CallerPresence(),
                respond: @escaping (HTTPResponse) -> Void) {
        guard let match = router.match(method: request.head.method, path: request.head.path) else {
            return respond(APIError.notFound(method: request.head.method, path: request.head.path).response)
        }
        do {
            let query = try QueryParameters(request.head.query)
            try dispatch(match, query: query, body: request.body, caller: caller, respond: respond)
        } catch let error as APIError {
            respond(error.response)
        } catch {
            respond(APIError.invalidRequest("\(error)").response)
        }
    }

    private func dispatch(_ match: APIRouter<Endpoint>.Match, query: QueryParameters, body: [UInt8],
                          caller: CallerPresence, respond: @escaping (HTTPResponse) -> Void) throws {
        let sn = match.parameters["sn"] ?? ""
        let name = match.parameters["name"] ?? ""
        switch match.endpoint {
        case .status:
            try query.requireOnly([])
            status(respond: respond)
        case .terminals:
            try query.requireOnly([])
            terminals(respond: respond)
        case .terminal:
            try query.requireOnly([])
            terminal(sn: sn, respond: respond)
        case .records:
            try records(query: query, respond: respond)
        case .calls:
            try calls(query: query, respond: respond)
        case .command:
            try command(name, sn: sn, params: try OperatorAPI.object(body), query: query, caller: caller,
                        respond: respond)
        case .broadcast:
            try broadcast(name, params: try OperatorAPI.object(body), query: query, caller: caller, respond: respond)
        case .raw:
            try raw(sn: sn, body: try OperatorAPI.object(body), query: query, caller: caller, respond: respond)
        case .outboxParked:
            try query.requireOnly([])
            outboxParked(respond: respond)
        case .outboxRetry:
            try query.requireOnly([])
            try outboxRetry(body: try OperatorAPI.object(body), respond: respond)
        case .metrics:
            try query.requireOnly([])
            respond(metricsResponse())
        case .turnstiles:
            try query.requireOnly([])
            turnstileList(respond: respond)
        case .pulse:
            try query.requireOnly([])
            try pulse(turnstile: name, body: try OperatorAPI.object(body), respond: respond)
        case .passages:
            try passages(query: query, respond: respond)
        case .plugins:
            try query.requireOnly([])
            listPlugins(respond: respond)
        case .pluginsReload:
            try query.requireOnly([])
            reloadPlugins(respond: respond)
        }
    }

    /// `Authorization: Bearer <token>`, the scheme in any case, the token compared in constant time.
    func isAuthorized(_ head: HTTPRequestHead) -> Bool {
        guard let value = head.headers["Authorization"] else { return false }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        return APIToken.matches(parts[1].trimmingCharacters(in: .whitespaces), expected: token)
    }

    /// The body as a JSON object; an empty body is `{}`.
    static func object(_ body: [UInt8]) throws -> JSONObject {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return JSONObject() }
        let value: JSONValue
        do {
            value = try JSONReader().parse(body)
        } catch {
            throw APIError.invalidRequest("the body is not JSON: \(error)")
        }
        guard let object = value.object else {
            throw APIError.invalidRequest("the body must be a JSON object, e.g. {} or {\"enrollid\": 12}")
        }
        return object
    }
}
