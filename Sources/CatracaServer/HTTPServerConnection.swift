import CatracaCore
import CatracaHTTP

/// One client of an `HTTPServer`: reads requests one at a time, hands each to the handler and writes
/// its response before it reads the next (pipelined requests wait their turn in `pending`).
///
/// All calls happen on the event loop thread.
final class HTTPServerConnection: StreamConnectionDelegate {
    let id: UInt64
    private let stream: StreamConnection
    private let loop: EventLoop
    private let configuration: HTTPServerConfiguration
    private let handler: HTTPServer.Handler
    private let headCheck: HTTPServer.HeadCheck
    private let errorResponse: HTTPServer.ErrorResponse
    private let onFinish: (HTTPServerConnection) -> Void
    private var parser: HTTPRequestParser
    /// Bytes received after the request being answered; parsed once it is answered.
    private var pending: [UInt8] = []
    /// The request being answered, and whether the connection stays open after it.
    private var awaiting: (sequence: UInt64, keepAlive: Bool)?
    /// The responder of the request being answered, told if the client goes away before its answer.
    private var awaitingResponder: HTTPResponder?
    /// Whether the client sent an authorised request on this connection (see `HTTPHeadVerdict`).
    private var authorized = false
    /// Whether the request being read was let through as authorised.
    private var requestAuthorized = false
    private var nextSequence: UInt64 = 1
    private var sentContinue = false
    private var closing = false
    private var idleTimer: TimerHandle?
    /// The deadline of the request being read: for its head from its first byte, then for its body.
    private var requestTimer: TimerHandle?
    /// The streamed response being written; once there is one, nothing more is read or answered.
    private var streaming: HTTPResponseStream?

    /// Pipelined bytes past this stop reading until the request being answered is done.
    static let pendingHighWater = 64 * 1024

    init(id: UInt64, stream: StreamConnection, loop: EventLoop, configuration: HTTPServerConfiguration,
         headCheck: @escaping HTTPServer.HeadCheck, handler: @escaping HTTPServer.Handler,
         errorResponse: @escaping HTTPServer.ErrorResponse, onFinish: @escaping (HTTPServerConnection) -> Void) {
        self.id = id
        self.stream = stream
        self.loop = loop
        self.configuration = configuration
        self.headCheck = headCheck
        self.handler = handler
        self.errorResponse = errorResponse
        self.onFinish = onFinish
        parser = HTTPRequestParser(limits: configuration.parserLimits, stopsAfterHead: true)
        stream.delegate = self
    }

    var peer: SocketAddress { stream.peer }

    func start() throws {
        try stream.start()
        restartIdleTimer()
    }

    /// Closes at once; a request being answered gets no response.
    func close() {
        stream.close()
    }

    func isAwaiting(sequence: UInt64) -> Bool {
        awaiting?.sequence == sequence && !stream.isClosed
    }

    // MARK: Socket events

    func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) {
        guard !closing else { return }
        if awaiting != nil {
            // Pipelined: kept until the current request is answered. Reading goes on, so that a client
            // that hangs up is noticed (its responder becomes a no-op), until too much is pending.
            pending.append(contentsOf: bytes)
            if pending.count > HTTPServerConnection.pendingHighWater { stream.isReadingPaused = true }
            return
        }
        restartIdleTimer()
        parse(Array(bytes)[...])
    }

    func connectionDidDrain(_ connection: StreamConnection) {}

    func connectionDidClose(_ connection: StreamConnection, error: SystemError?) {
        cancelIdleTimer()
        cancelRequestTimer()
        awaiting = nil
        let abandoned = awaitingResponder
        awaitingResponder = nil
        abandoned?.clientWentAway()
        let stream = streaming
        streaming = nil
        stream?.connectionClosed()
        onFinish(self)
    }

    // MARK: Requests

    private func parse(_ bytes: ArraySlice<UInt8>) {
        do {
            switch try parser.parse(bytes) {
            case .needMoreBytes:
                startHeadDeadlineIfStarted()
            case .head(let head, let consumed):
                guard admit(head) else { return }
                parse(bytes[(bytes.startIndex + consumed)...])
            case .request(let request, let consumed):
                pending = Array(bytes[(bytes.startIndex + consumed)...])
                begin(request)
            }
        } catch {
            fail(status: error.status, message: error.description)
        }
    }

    /// Asks the head check about a complete head: refused, it is answered and the connection closes with the
    /// body unread; let through, the body is read within its deadline. Returns whether reading goes on.
    private func admit(_ head: HTTPRequestHead) -> Bool {
        cancelRequestTimer()
        switch headCheck(head, stream.peer) {
        case .refuse(let response):
            answerAndClose(response)
            return false
        case .read(let maxBodyBytes, let isAuthorized):
            requestAuthorized = isAuthorized
            if isAuthorized { authorized = true }
            do {
                try parser.readBody(maxBodyBytes: maxBodyBytes)
            } catch {
                fail(status: error.status, message: error.description)
                return false
            }
            guard parser.isReadingBody else { return true }
            startBodyDeadline()
            sendContinueIfExpected(head)
            return true
        }
    }

    /// curl and other clients send `Expect: 100-continue` before a large body and wait for this; it is sent
    /// only after the head check let the request through.
    private func sendContinueIfExpected(_ head: HTTPRequestHead) {
        guard !sentContinue, head.headers.containsToken("100-continue", in: "Expect"), head.isVersion(atLeast: 1, 1)
        else { return }
        sentContinue = true
        stream.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
    }

    private func begin(_ request: HTTPRequest) {
        let sequence = nextSequence
        nextSequence += 1
        sentContinue = false
        awaiting = (sequence, HTTPServerConnection.keepsAlive(request.head))
        cancelIdleTimer()
        cancelRequestTimer()
        let responder = HTTPResponder(connection: self, sequence: sequence)
        awaitingResponder = responder
        handler(request, responder)
    }

    /// HTTP/1.1 keeps the connection unless told `close`; HTTP/1.0 closes unless told `keep-alive`.
    private static func keepsAlive(_ head: HTTPRequestHead) -> Bool {
        if head.headers.containsToken("close", in: "Connection") { return false }
        return head.isVersion(atLeast: 1, 1) || head.headers.containsToken("keep-alive", in: "Connection")
    }

    func send(_ response: HTTPResponse, for sequence: UInt64) {
        guard let current = awaiting, current.sequence == sequence, !stream.isClosed else { return }
        awaiting = nil
        awaitingResponder = nil
        var response = response
        if !current.keepAlive { response.headers.replaceOrAdd(name: "Connection", value: "close") }
        stream.write(response.serialized())
        guard current.keepAlive else {
            closing = true
            stream.closeAfterFlush()
            return
        }
        continueAfterResponse()
    }

    // MARK: Streamed responses

    /// Writes the head of a streamed response to request `sequence`; false when that request is no longer
    /// the one awaited (the client went away).
    func startStream(_ stream: HTTPResponseStream, head: HTTPResponse, for sequence: UInt64) -> Bool {
        guard let current = awaiting, current.sequence == sequence, stream.isOpen, !self.stream.isClosed
        else { return false }
        awaiting = nil
        awaitingResponder = nil
        streaming = stream
        // Whatever the client sends from now on is ignored: this connection answers nothing else.
        closing = true
        pending = []
        cancelIdleTimer()
        self.stream.write(head.serialized())
        return true
    }

    var pendingOutputBytes: Int { stream.pendingOutputBytes }

    func writeStreamed(_ bytes: [UInt8]) {
        stream.write(bytes)
    }

    func finishStream(last bytes: [UInt8]) {
        streaming = nil
        stream.write(bytes)
        stream.closeAfterFlush()
    }

    /// Closes a streaming connection whose client has fallen too far behind; it may reconnect.
    func dropStreamingClient() {
        stream.close()
    }

    private func continueAfterResponse() {
        stream.isReadingPaused = false
        restartIdleTimer()
        guard !pending.isEmpty else { return }
        let next = pending
        pending = []
        parse(next[...])
    }

    /// Answers a request that cannot be read and closes: the parser no longer knows where the next
    /// request would start.
    private func fail(status: Int, message: String) {
        answerAndClose(errorResponse(status, message))
    }

    private func answerAndClose(_ response: HTTPResponse) {
        closing = true
        cancelIdleTimer()
        cancelRequestTimer()
        var response = response
        response.headers.replaceOrAdd(name: "Connection", value: "close")
        stream.write(response.serialized())
        stream.closeAfterFlush()
    }

    // MARK: Idle timeout

    /// The idle timeout that applies now: the short one until the client sent an authorised request.
    private var idleTimeout: TimeSpan { authorized ? configuration.idleTimeout : configuration.strangerIdleTimeout }

    private func restartIdleTimer() {
        cancelIdleTimer()
        idleTimer = loop.scheduleTimer(at: loop.timeSource.now + idleTimeout) { [weak self] in
            self?.idleTimerFired()
        }
    }

    private func cancelIdleTimer() {
        if let idleTimer { loop.cancelTimer(idleTimer) }
        idleTimer = nil
    }

    private func idleTimerFired() {
        idleTimer = nil
        guard awaiting == nil, !closing else { return }
        if parser.hasStartedRequest {
            fail(status: 408, message: "nothing more of the request arrived within \(Int(idleTimeout.seconds)) seconds")
        } else {
            stream.close()
        }
    }

    // MARK: Request deadlines

    /// Starts the head's deadline at its first byte; bytes trickling in later do not move it.
    private func startHeadDeadlineIfStarted() {
        guard requestTimer == nil, parser.headRead == nil, parser.hasStartedRequest else { return }
        let limit = configuration.headTimeout
        requestTimer = loop.scheduleTimer(at: loop.timeSource.now + limit) { [weak self] in
            self?.requestDeadlinePassed("the request line and headers did not arrive within "
                                        + "\(Int(limit.seconds)) seconds")
        }
    }

    private func startBodyDeadline() {
        let limit = requestAuthorized ? configuration.bodyTimeout : configuration.headTimeout
        requestTimer = loop.scheduleTimer(at: loop.timeSource.now + limit) { [weak self] in
            self?.requestDeadlinePassed("the request body did not arrive within \(Int(limit.seconds)) seconds")
        }
    }

    private func cancelRequestTimer() {
        if let requestTimer { loop.cancelTimer(requestTimer) }
        requestTimer = nil
    }

    private func requestDeadlinePassed(_ message: String) {
        requestTimer = nil
        guard awaiting == nil, !closing else { return }
        fail(status: 408, message: message)
    }
}
