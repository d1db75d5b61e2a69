import CatracaCore
import CatracaHTTP

/// One WebSocket connection as a state machine without I/O (RFC 6455): it takes received bytes and the time,
/// and gives back events and bytes to write.
///
/// The caller owns the socket: it passes what it reads to `receive`, writes what `takeOutput` returns, calls
/// `tick` at `nextDeadline`, and closes the socket once `isTerminated` is true and the output is flushed.
/// Frames are decoded straight from the received buffer; only a partial header (at most 14 bytes), the message
/// being assembled and a control frame's payload are kept, so an idle connection holds almost nothing.
///
/// Known shortcomings: outgoing messages are always sent as one frame (no fragmentation on send), and the value
/// is not `Sendable` because `acceptUpgrade` is a plain closure: keep a connection on one thread (its event loop).
public struct WebSocketConnection {
    enum Phase {
        /// Client, before `startClientHandshake`.
        case notStarted
        /// Server, reading the upgrade request.
        case awaitingRequest(HTTPRequestParser)
        /// Client, reading the server's response to our upgrade request.
        case awaitingResponse(HTTPResponseHeadParser, key: String, request: HTTPRequestHead)
        /// Frames flow. `closeSentAt` is set once our close frame is queued.
        case open
        case terminated
    }

    /// The frame whose payload is being read.
    struct FrameInProgress {
        var opcode: Opcode
        var fin: Bool
        var length: Int
        var maskingKey: MaskingKey?
        var received = 0
        /// Data frames after our close are read past without being kept.
        var discarded = false

        var remaining: Int { length - received }
    }

    let role: WebSocketRole
    let configuration: WebSocketConfiguration
    let acceptUpgrade: ((HTTPRequestHead) -> HandshakeRefusal?)?

    var phase: Phase
    var output: [UInt8] = []

    /// The latest time any call told us, for `close(code:reason:)`, which is not given one.
    var latestNow: Instant
    var handshakeStartedAt: Instant
    var lastReceivedAt: Instant
    var lastPingSentAt: Instant?
    var closeSentAt: Instant?

    var partialHeader: [UInt8] = []
    var frame: FrameInProgress?
    var control: [UInt8] = []
    var message: [UInt8] = []
    var messageOpcode: Opcode?
    var messageStartedAt: Instant?
    var textValidator = UTF8Validator()

    /// Creates a connection. A server starts reading the upgrade request at once; a client waits for
    /// `startClientHandshake`. `acceptUpgrade` lets a server refuse a valid upgrade, e.g. for an unknown path.
    public init(role: WebSocketRole, configuration: WebSocketConfiguration = WebSocketConfiguration(), now: Instant,
                acceptUpgrade: ((HTTPRequestHead) -> HandshakeRefusal?)? = nil) {
        self.role = role
        self.configuration = configuration
        self.acceptUpgrade = acceptUpgrade
        self.latestNow = now
        self.handshakeStartedAt = now
        self.lastReceivedAt = now
        switch role {
        case .server: phase = .awaitingRequest(HTTPRequestParser(limits: HTTPParserLimits(maxBodyBytes: 4096)))
        case .client: phase = .notStarted
        }
    }

    /// Client role: queues the upgrade request for `path` on `host` and starts the handshake timer.
    public mutating func startClientHandshake(host: String, path: String, now: Instant) {
        guard role == .client, case .notStarted = phase else { return }
        let (head, key) = Handshake.clientRequest(host: host, path: path)
        output.append(contentsOf: Handshake.serialized(head))
        phase = .awaitingResponse(HTTPResponseHeadParser(), key: key, request: head)
        latestNow = max(latestNow, now)
        handshakeStartedAt = now
        lastReceivedAt = now
    }

    /// Takes received bytes; returns what they completed. Bytes that arrive after the connection ended are ignored.
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, now: Instant) -> [WebSocketEvent] {
        guard !isTerminated, !bytes.isEmpty else { return [] }
        latestNow = max(latestNow, now)
        lastReceivedAt = now
        var events: [WebSocketEvent] = []

        switch phase {
        case .notStarted, .terminated:
            return []
        case .awaitingRequest(var parser):
            guard let consumed = readUpgradeRequest(bytes, parser: &parser, events: &events) else { return events }
            decodeFrames(UnsafeRawBufferPointer(rebasing: bytes[consumed...]), now: now, events: &events)
        case .awaitingResponse(var parser, let key, let request):
            guard let consumed = readUpgradeResponse(bytes, parser: &parser, key: key, request: request,
                                                     events: &events)
            else { return events }
            decodeFrames(UnsafeRawBufferPointer(rebasing: bytes[consumed...]), now: now, events: &events)
        case .open:
            decodeFrames(bytes, now: now, events: &events)
        }
        return events
    }

    /// Convenience for tests and callers that hold an array.
    public mutating func receive(_ bytes: [UInt8], now: Instant) -> [WebSocketEvent] {
        bytes.withUnsafeBytes { receive($0, now: now) }
    }

    /// Drains the bytes waiting to be written; empty when there are none.
    public mutating func takeOutput() -> [UInt8] {
        let bytes = output
        output = []
        return bytes
    }

    public var hasPendingOutput: Bool { !output.isEmpty }

    /// True once `.closed` or `.rejected` was emitted: close the socket after flushing the output.
    public var isTerminated: Bool {
        if case .terminated = phase { return true }
        return false
    }

    /// Bytes held for partial frames, the message being assembled and an unfinished handshake,
    /// for the caller's memory budget. Output waiting to be written is not counted.
    public var bufferedBytes: Int {
        var count = partialHeader.count + control.count + message.count
        switch phase {
        case .awaitingRequest(let parser): count += parser.bufferedBytes
        case .awaitingResponse(let parser, _, _): count += parser.bufferedBytes
        default: break
        }
        return count
    }

    // MARK: Handshake

    /// Server: feeds the upgrade request parser. Returns how many bytes it used once the connection is open,
    /// nil while the request is incomplete or after a refusal.
    private mutating func readUpgradeRequest(_ bytes: UnsafeRawBufferPointer, parser: inout HTTPRequestParser,
                                             events: inout [WebSocketEvent]) -> Int? {
        let result: HTTPParseResult
        do {
            result = try parser.parse(Array(bytes)[...])
        } catch {
            refuse(HandshakeRefusal(status: error.status, reason: error.description), events: &events)
            return nil
        }

        guard case .request(let request, let consumed) = result else {
            if let head = parser.headRead, !head.headers.values(for: "Transfer-Encoding").isEmpty {
                // A chunked body may never end; refuse now rather than at the handshake timeout.
                refuse(Handshake.bodyRefusal, events: &events)
                return nil
            }
            phase = .awaitingRequest(parser)
            return nil
        }
        if let refusal = Handshake.refusal(for: request) ?? acceptUpgrade?(request.head) {
            refuse(refusal, events: &events)
            return nil
        }

        output.append(contentsOf: Handshake.switchingProtocols(for: request.head).serialized())
        phase = .open
        events.append(.opened(request.head))
        return consumed
    }

    private mutating func refuse(_ refusal: HandshakeRefusal, events: inout [WebSocketEvent]) {
        output.append(contentsOf: Handshake.refusalResponse(refusal).serialized())
        terminate(.rejected(status: refusal.status, reason: refusal.reason), events: &events)
    }

    /// Client: feeds the response parser. Returns how many bytes it used once the connection is open.
    private mutating func readUpgradeResponse(_ bytes: UnsafeRawBufferPointer, parser: inout HTTPResponseHeadParser,
                                              key: String, request: HTTPRequestHead,
                                              events: inout [WebSocketEvent]) -> Int? {
        let result: HTTPResponseHeadResult
        do {
            result = try parser.parse(Array(bytes)[...])
        } catch {
            terminate(.rejected(status: 0, reason: "bad upgrade response: \(error)"), events: &events)
            return nil
        }

        guard case .head(let head, let consumed) = result else {
            phase = .awaitingResponse(parser, key: key, request: request)
            return nil
        }
        if let problem = Handshake.problem(with: head, key: key) {
            terminate(.rejected(status: head.status, reason: problem), events: &events)
            return nil
        }

        phase = .open
        events.append(.opened(request))
        return consumed
    }

    // MARK: Ending

    /// Ends the connection, releases its buffers and reports why.
    mutating func terminate(_ event: WebSocketEvent, events: inout [WebSocketEvent]) {
        phase = .terminated
        partialHeader = []
        control = []
        message = []
        frame = nil
        messageOpcode = nil
        messageStartedAt = nil
        events.append(event)
    }

    /// Fails the connection (RFC 6455 section 7.1.7): sends a close frame with `code` unless ours is already out,
    /// and ends without waiting for the peer's.
    mutating func fail(code: UInt16, reason: String, events: inout [WebSocketEvent]) {
        if closeSentAt == nil { writeCloseFrame(code: code, reason: reason) }
        terminate(.closed(code: code, reason: reason), events: &events)
    }
}
