import CatracaCore
import CatracaHTTP
import CatracaJSON
import CatracaServer

/// The status page on the API's port: `GET /` (the page, or its login form), its script and style,
/// `POST /login`, `POST /logout`, and `GET /v1/events` (server-sent events). A logged-in page reaches the
/// API with its session cookie; its state-changing calls must come from this site and carry its CSRF token.
extension OperatorAPI {
    /// Answers `request` from a browser or a script; the daemon's API server calls this for every request.
    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        let caller = CallerPresence()
        responder.onClientGone = { caller.callerLeft() }
        guard let page = statusPage else { return handle(request, caller: caller) { responder.respond($0) } }
        let browser = BrowserRequest(head: request.head, peerHost: responder.peer?.host)
        if let response = pageResponse(request, browser: browser, page: page) { return responder.respond(response) }

        if let refusal = refusal(of: browser, page: page) { return responder.respond(refusal.response) }
        if request.head.method == "GET" && request.head.path == "/v1/events" {
            return openEventStream(responder: responder, query: request.head.query, page: page)
        }
        answer(request, caller: caller) { responder.respond($0) }
    }

    /// The page's own routes, which need no login; nil for every other request.
    private func pageResponse(_ request: HTTPRequest, browser: BrowserRequest, page: StatusPage) -> HTTPResponse? {
        switch (request.head.method, request.head.path) {
        case ("GET", "/"):
            guard let id = browser.sessionID, let session = page.sessions.use(id: id) else {
                return StatusPageAssets.loginPage(status: 200, message: nil)
            }
            return StatusPageAssets.page(csrfToken: session.csrfToken)
        case ("GET", StatusPageAssets.scriptPath):
            return StatusPageAssets.asset(StatusPageAssets.script, contentType: "text/javascript; charset=utf-8")
        case ("GET", StatusPageAssets.stylePath):
            return StatusPageAssets.asset(StatusPageAssets.style, contentType: "text/css; charset=utf-8")
        case ("POST", "/login"):
            return login(request, browser: browser, page: page)
        case ("POST", "/logout"):
            return logout(browser, page: page)
        default:
            return nil
        }
    }

    /// Why `browser` may not reach the API, or nil when it may: a bearer token is checked alone (scripts);
    /// else the session cookie must be live, and a state-changing request must come from this site and carry
    /// the session's CSRF token.
    private func refusal(of browser: BrowserRequest, page: StatusPage) -> APIError? {
        if browser.head.headers["Authorization"] != nil {
            return isAuthorized(browser.head) ? nil : .unauthorized
        }
        guard let id = browser.sessionID, let session = page.sessions.use(id: id) else { return .unauthorized }
        guard browser.isStateChanging else { return nil }
        guard browser.comesFromThisSite else { return .crossSite }
        guard browser.carriesCSRFToken(session.csrfToken) else { return .csrfTokenMissing }
        return nil
    }

    // MARK: Login and logout

    private func login(_ request: HTTPRequest, browser: BrowserRequest, page: StatusPage) -> HTTPResponse {
        guard browser.comesFromThisSite else {
            return StatusPageAssets.loginPage(status: 403, message: "This login came from another site and was refused.")
        }
        let client = browser.clientAddress
        let now = loop.timeSource.now
        if let wait = page.loginLimiter.retryAfter(client: client, now: now) {
            let seconds = max(1, Int(wait.seconds.rounded(.up)))
            var response = StatusPageAssets.loginPage(
                status: 429, message: "Too many failed logins from this address; try again in \(seconds) s.")
            response.headers.add(name: "Retry-After", value: "\(seconds)")
            return response
        }

        let form = try? QueryParameters(String(decoding: request.body, as: UTF8.self))
        guard let given = form?["token"], isToken(given) else {
            page.loginLimiter.recordFailure(client: client, now: now)
            page.logger.info("status page login refused: wrong token", ["client": client])
            return StatusPageAssets.loginPage(status: 401, message: "Wrong token.")
        }

        page.loginLimiter.recordSuccess(client: client)
        let session = page.sessions.open()
        page.logger.info("status page login", ["client": client])
        var response = HTTPResponse(status: 303, reason: "See Other", headers: StatusPageAssets.securityHeaders)
        response.headers.add(name: "Location", value: "/")
        response.headers.add(name: "Set-Cookie",
                             value: browser.sessionCookie(session.id, maxAgeSeconds: page.sessions.cookieMaxAgeSeconds))
        return response
    }

    /// Ends the session; like every state-changing call it must come from the page (this site, CSRF token).
    private func logout(_ browser: BrowserRequest, page: StatusPage) -> HTTPResponse {
        if let id = browser.sessionID, let session = page.sessions.use(id: id) {
            guard browser.comesFromThisSite else { return APIError.crossSite.response }
            guard browser.carriesCSRFToken(session.csrfToken) else { return APIError.csrfTokenMissing.response }
            page.sessions.close(id: id)
        }
        var response = HTTPResponse(status: 204, headers: StatusPageAssets.securityHeaders)
        response.headers.add(name: "Set-Cookie", value: browser.expiredCookie())
        return response
    }

    // MARK: Events

    /// `GET /v1/events`: a `snapshot` event, then every `OperatorEvent` as it is published, and a comment
    /// every 15 s while nothing happens. `?heartbeat=S` (tests) shortens the comment interval.
    private func openEventStream(responder: HTTPResponder, query: String?, page: StatusPage) {
        guard page.openStreams < StatusPage.maxStreams else {
            return responder.respond(APIError(status: 503, code: "too_many_streams",
                                              message: "\(StatusPage.maxStreams) event streams are open; close a "
                                                + "status page and try again").response)
        }
        let heartbeat = (try? QueryParameters(query)["heartbeat"]).flatMap { $0.flatMap(Double.init) }
            .map { TimeSpan.seconds(min(max($0, 0.05), StatusPage.heartbeatInterval.seconds)) }
            ?? StatusPage.heartbeatInterval
        var head = HTTPResponse(status: 200, headers: StatusPageAssets.securityHeaders)
        head.headers.replaceOrAdd(name: "Content-Type", value: "text/event-stream; charset=utf-8")
        // nginx passes the stream through unbuffered when it sees this, whatever its proxy_buffering.
        head.headers.add(name: "X-Accel-Buffering", value: "no")
        guard let stream = responder.startStream(head, maxBufferedBytes: StatusPage.streamBufferBytes) else { return }

        page.openStreams += 1
        stream.write(ServerSentEvent.retry(milliseconds: 3_000) + OperatorAPI.event("snapshot", snapshot(page)))
        let subscription = page.events.subscribe { [weak stream] event in
            stream?.write(OperatorAPI.event(event.name, event.data))
        }
        let beat = StreamHeartbeat(loop: loop, stream: stream, interval: heartbeat)
        beat.start()
        stream.onClose = { [weak page] in
            beat.stop()
            page?.events.unsubscribe(subscription)
            page?.openStreams -= 1
        }
    }

    /// What a page opened now starts from: the site's date, the last passages and the terminals' clock drifts.
    private func snapshot(_ page: StatusPage) -> JSONObject {
        let now = page.siteTime.format(loop.timeSource.wallClock)
        var drifts = JSONObject()
        for sn in page.events.clockDrifts.keys.sorted() {
            drifts[sn] = page.events.clockDrifts[sn].map(JSONValue.double) ?? .null
        }
        return [
            "site_time": .string(now), "site_date": .string(String(now.prefix(10))),
            "passages": .array(page.events.recentPassages.map { .object($0.data) }),
            "clock_drifts": .object(drifts),
        ]
    }

    static func event(_ name: String, _ data: JSONObject) -> [UInt8] {
        ServerSentEvent(name: name, data: String(decoding: JSONWriter().bytes(.object(data)), as: UTF8.self))
            .serialized()
    }

    private func isToken(_ given: String) -> Bool {
        isAuthorized(HTTPRequestHead(method: "POST", target: "/login",
                                     headers: HTTPHeaders([("Authorization", "Bearer " + given)])))
    }
}

/// Writes a comment line on a stream every `interval` until the stream ends or `stop` is called.
final class StreamHeartbeat {
    private let loop: EventLoop
    private weak var stream: HTTPResponseStream?
    private let interval: TimeSpan
    private var timer: TimerHandle?

    init(loop: EventLoop, stream: HTTPResponseStream, interval: TimeSpan) {
        self.loop = loop
        self.stream = stream
        self.interval = interval
    }

    func start() {
        timer = loop.scheduleTimer(at: loop.timeSource.now + interval) { [weak self] in self?.beat() }
    }

    func stop() {
        if let timer { loop.cancelTimer(timer) }
        timer = nil
    }

    private func beat() {
        timer = nil
        guard let stream, stream.write(ServerSentEvent.comment("heartbeat")) else { return }
        start()
    }
}

extension APIError {
    static let crossSite = APIError(
        status: 403, code: "cross_site",
        message: "the request's Origin or Referer is not this site; the status page's actions work only from the page")

    static let csrfTokenMissing = APIError(
        status: 403, code: "csrf_token_missing",
        message: "a state-changing request with the session cookie must send the page's X-CSRF-Token header; "
            + "reload the page, or use the bearer token from a script")
}
