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
    private let errorResponse: HTTPServer.ErrorResponse
    private let onFinish: (HTTPServerConnection) -> Void
    private var parser: HTTPRequestParser
    /// Bytes received after the request being answered; parsed once it is answered.
    private var pending: [UInt8] = []
    /// The request being answered, and whether the connection stays open after it.
    private var awaiting: (sequence: UInt64, keepAlive: Bool)?
    private var nextSequence: UInt64 = 1
    private var sentContinue = false
    private var closing = false
    private var idleTimer: TimerHandle?
    /// The streamed response being written; once there is one, nothing more is read or answered.
    private var streaming: HTTPResponseStream?

    /// Pipelined bytes past this stop reading until the request being answered is done.
    static let pendingHighWater = 64 * 1024

    init(id: UInt64, stream: StreamConnection, loop: EventLoop, configuration: HTTPServerConfiguration,
         handler: @escaping HTTPServer.Handler, errorResponse: @escaping HTTPServer.ErrorResponse,
         onFinish: @escaping (HTTPServerConnection) -> Void) {
        self.id = id
        self.stream = stream
        self.loop = loop
        self.configuration = configuration
        self.handler = handler
        self.errorResponse = errorResponse
        self.onFinish = onFinish
        parser = HTTPRequestParser(limits: configuration.parserLimits)
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
        awaiting = nil
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
                sendContinueIfExpected()
            case .request(let request, let consumed):
                pending = Array(bytes[(bytes.startIndex + consumed)...])
                begin(request)
            }
        } catch {
            fail(status: error.status, message: error.description)
        }
    }

    /// curl and other clients send `Expect: 100-continue` before a large body and wait for this.
    private func sendContinueIfExpected() {
        guard !sentContinue, let head = parser.headRead,
              head.headers.containsToken("100-continue", in: "Expect"), head.isVersion(atLeast: 1, 1) else { return }
        sentContinue = true
        stream.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
    }

    private func begin(_ request: HTTPRequest) {
        let sequence = nextSequence
        nextSequence += 1
        sentContinue = false
        awaiting = (sequence, HTTPServerConnection.keepsAlive(request.head))
        cancelIdleTimer()
        handler(request, HTTPResponder(connection: self, sequence: sequence))
    }

    /// HTTP/1.1 keeps the connection unless told `close`; HTTP/1.0 closes unless told `keep-alive`.
    private static func keepsAlive(_ head: HTTPRequestHead) -> Bool {
        if head.headers.containsToken("close", in: "Connection") { return false }
        return head.isVersion(atLeast: 1, 1) || head.headers.containsToken("keep-alive", in: "Connection")
    }

    func send(_ response: HTTPResponse, for sequence: UInt64) {
        guard let current = awaiting, current.sequence == sequence, !stream.isClosed else { return }
        awaiting = nil
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
        closing = true
        cancelIdleTimer()
        var response = errorResponse(status, message)
        response.headers.replaceOrAdd(name: "Connection", value: "close")
        stream.write(response.serialized())
        stream.closeAfterFlush()
    }

    // MARK: Idle timeout

    private func restartIdleTimer() {
        cancelIdleTimer()
        idleTimer = loop.scheduleTimer(at: loop.timeSource.now + configuration.idleTimeout) { [weak self] in
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
        if parser.bufferedBytes > 0 || parser.headRead != nil {
            fail(status: 408, message: "the request did not arrive within "
                 + "\(Int(configuration.idleTimeout.seconds)) seconds")
        } else {
            stream.close()
        }
    }
}
