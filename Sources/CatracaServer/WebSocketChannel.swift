import CatracaCore
import CatracaHTTP
import CatracaWebSocket

/// What a WebSocket channel tells the code that serves it (a terminal gateway, the echo endpoint).
public protocol WebSocketHandler: AnyObject {
    /// The upgrade succeeded.
    func channelDidOpen(_ channel: WebSocketChannel, request: HTTPRequestHead)
    /// A complete text message arrived; its UTF-8 is valid.
    func channel(_ channel: WebSocketChannel, didReceiveText text: [UInt8])
    /// A complete binary message arrived.
    func channel(_ channel: WebSocketChannel, didReceiveBinary bytes: [UInt8])
    /// The connection is over. Called once, also when it never opened.
    func channelDidClose(_ channel: WebSocketChannel, code: UInt16, reason: String)
}

/// One WebSocket connection: the I/O-free protocol state machine driven by a socket and the loop's timers.
///
/// All calls happen on the event loop thread.
public final class WebSocketChannel: StreamConnectionDelegate {
    public let id: UInt64
    public var peer: SocketAddress { stream.peer }
    public var handler: WebSocketHandler?

    private let stream: StreamConnection
    private let loop: EventLoop
    private let budget: BufferBudget
    private var state: WebSocketConnection
    private var timer: TimerHandle?
    private var timerDeadline: Instant?
    private var didReportClose = false
    private var heldBytes = 0
    /// When bytes last arrived from the peer.
    public private(set) var lastReadAt: Instant
    private var pausedByBudget = false
    private var pausedByOutput = false
    private let onFinish: (WebSocketChannel) -> Void

    /// Output past this stops reading from the peer until it drains: a peer that does not read its
    /// replies cannot make the daemon queue without end.
    static let outputHighWater = 4 * 1024 * 1024

    init(id: UInt64, stream: StreamConnection, loop: EventLoop, budget: BufferBudget, state: WebSocketConnection,
         onFinish: @escaping (WebSocketChannel) -> Void) {
        self.id = id
        self.stream = stream
        self.loop = loop
        self.budget = budget
        self.state = state
        self.onFinish = onFinish
        self.lastReadAt = loop.timeSource.now
        stream.delegate = self
    }

    /// Starts reading, and writes what the protocol already queued (a client's upgrade request).
    func start() throws {
        try stream.start()
        afterStateChange()
    }

    // MARK: Sending

    /// Sends a text message; `utf8` must be valid UTF-8.
    public func sendText(_ utf8: [UInt8]) {
        guard !state.isTerminated else { return }
        state.sendText(utf8)
        afterStateChange()
    }

    public func sendBinary(_ bytes: [UInt8]) {
        guard !state.isTerminated else { return }
        state.sendBinary(bytes)
        afterStateChange()
    }

    /// Starts the closing handshake (1000 normal, 1001 going away, 1008 policy…).
    public func close(code: UInt16, reason: String) {
        guard !state.isTerminated else { return }
        state.close(code: code, reason: reason)
        afterStateChange()
    }

    /// Counts `delta` more (or, negative, fewer) bytes against this connection's share of the buffer
    /// budget: memory its messages still occupy after they left the codec, e.g. records waiting for the
    /// store. Without it, a few huge messages would be out of the budget's sight while they are stored.
    public func adjustHeldBytes(by delta: Int) {
        heldBytes = max(0, heldBytes + delta)
        reportBudgetShare()
    }

    /// Bytes of a message that has started to arrive and is not complete yet.
    public var partialMessageBytes: Int { state.bufferedBytes }

    /// Whether the daemon itself stopped reading this peer (budget or unsent output).
    public var isPausedByServer: Bool { pausedByBudget || pausedByOutput }

    /// Drops the connection without a handshake.
    public func abort(reason: String) {
        reportClose(code: 1006, reason: reason)
        stream.close()
    }

    // MARK: Socket events

    public func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) {
        lastReadAt = loop.timeSource.now
        let events = state.receive(bytes, now: lastReadAt)
        afterStateChange()
        deliver(events)
    }

    public func connectionDidDrain(_ connection: StreamConnection) {
        if pausedByOutput {
            pausedByOutput = false
            updateReading()
        }
        reportBudgetShare()
    }

    public func connectionDidClose(_ connection: StreamConnection, error: SystemError?) {
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        budget.remove(id: id)
        reportClose(code: 1006, reason: error.map { "connection lost: \($0)" } ?? "connection closed by peer")
        // Handlers usually keep their channel; dropping ours ends that cycle, so the channel and a
        // half-received message in it are freed with the connection.
        handler = nil
        onFinish(self)
    }

    // MARK: Internals

    private func deliver(_ events: [WebSocketEvent]) {
        for event in events {
            switch event {
            case .opened(let request):
                handler?.channelDidOpen(self, request: request)
            case .rejected(_, let reason):
                reportClose(code: 1002, reason: "upgrade refused: \(reason)")
            case .text(let bytes):
                handler?.channel(self, didReceiveText: bytes)
            case .binary(let bytes):
                handler?.channel(self, didReceiveBinary: bytes)
            case .closed(let code, let reason):
                reportClose(code: code, reason: reason)
            }
        }
    }

    private func reportClose(code: UInt16, reason: String) {
        guard !didReportClose else { return }
        didReportClose = true
        handler?.channelDidClose(self, code: code, reason: reason)
    }

    private func afterStateChange() {
        let output = state.takeOutput()
        if !output.isEmpty { stream.write(output) }
        if state.isTerminated {
            stream.closeAfterFlush()
        } else if stream.pendingOutputBytes > WebSocketChannel.outputHighWater && !pausedByOutput {
            pausedByOutput = true
            updateReading()
        }
        reportBudgetShare()
        rescheduleTimer()
    }

    private func reportBudgetShare() {
        guard !stream.isClosed else { return }
        budget.update(
            id: id, bytes: state.bufferedBytes + stream.pendingOutputBytes + heldBytes,
            pause: { pausedByBudget = true; updateReading() },
            resume: { [weak self] in
                self?.pausedByBudget = false
                self?.updateReading()
            }
        )
    }

    private func updateReading() {
        let paused = pausedByBudget || pausedByOutput
        if stream.isReadingPaused && !paused {
            // The peer was silent because the daemon did not read it; its silence starts counting now.
            lastReadAt = loop.timeSource.now
        }
        stream.isReadingPaused = paused
    }

    private func rescheduleTimer() {
        let deadline = state.isTerminated ? nil : state.nextDeadline
        guard deadline != timerDeadline else { return }
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        timerDeadline = deadline
        guard let deadline else { return }
        timer = loop.scheduleTimer(at: deadline) { [weak self] in self?.timerFired() }
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        let events = state.tick(now: loop.timeSource.now)
        afterStateChange()
        deliver(events)
    }
}
