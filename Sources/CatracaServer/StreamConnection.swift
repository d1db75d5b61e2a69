#if canImport(Glibc)
import Glibc
#endif
import CSystem
import CatracaCore

/// What a stream connection tells its owner.
public protocol StreamConnectionDelegate: AnyObject {
    /// Bytes arrived. They are valid only during the call.
    func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer)
    /// All queued output has been written.
    func connectionDidDrain(_ connection: StreamConnection)
    /// The socket is closed (peer hung up, an error, or `close` finished). Called once.
    func connectionDidClose(_ connection: StreamConnection, error: SystemError?)
}

/// A scratch buffer that every connection of one loop reads into, so an idle connection holds no
/// read buffer of its own.
public final class ReadBuffer {
    let storage: UnsafeMutableRawBufferPointer

    public init(size: Int = 64 * 1024) {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    }

    deinit { storage.deallocate() }
}

/// A connected, non-blocking TCP socket on an event loop, with an output queue.
///
/// Writes go straight to the socket while it accepts them; the rest waits for `EPOLLOUT`. Each
/// readiness event reads a bounded amount so that one fast sender cannot hold the loop.
public final class StreamConnection: EventLoopHandler {
    public let fd: Int32
    public let peer: SocketAddress
    public weak var delegate: StreamConnectionDelegate?

    private let loop: EventLoop
    private let readBuffer: ReadBuffer
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var interest: UInt32 = 0
    private var state: State = .open
    private var lingerTimer: TimerHandle?

    private enum State {
        case open
        /// Output is being flushed before the write side is shut down.
        case closingAfterFlush
        /// Our side is shut; reading and discarding until the peer closes, so the kernel does not
        /// reset the connection and destroy the last bytes we sent (a close frame, an error reply).
        case lingering
        case closed
    }

    /// How many reads one readiness event may do before yielding to other connections.
    private static let readsPerEvent = 4

    public init(fd: Int32, peer: SocketAddress, loop: EventLoop, readBuffer: ReadBuffer) {
        self.fd = fd
        self.peer = peer
        self.loop = loop
        self.readBuffer = readBuffer
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Registers with the loop and starts reading.
    public func start() throws {
        interest = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
        try loop.register(fd: fd, events: interest, handler: self)
    }

    public var isClosed: Bool { state == .closed }

    /// Bytes queued but not yet accepted by the kernel.
    public var pendingOutputBytes: Int { output.count - outputOffset }

    /// While paused, nothing is read; the kernel's buffer fills and TCP slows the peer down.
    public var isReadingPaused = false {
        didSet { if isReadingPaused != oldValue { updateInterest() } }
    }

    /// Queues `bytes` for the peer.
    public func write(_ bytes: [UInt8]) {
        guard state == .open || state == .closingAfterFlush, !bytes.isEmpty else { return }
        if pendingOutputBytes == 0 {
            output = bytes
            outputOffset = 0
        } else {
            output.append(contentsOf: bytes)
        }
        flush()
    }

    /// Writes what is queued, then shuts down sending, drains what the peer still sends and closes.
    public func closeAfterFlush() {
        guard state == .open else { return }
        state = .closingAfterFlush
        if pendingOutputBytes == 0 { startLingering() } else { updateInterest() }
    }

    /// Closes at once, dropping queued output.
    public func close(error: SystemError? = nil) {
        guard state != .closed else { return }
        state = .closed
        if let timer = lingerTimer { loop.cancelTimer(timer) }
        loop.unregister(fd: fd)
        Glibc.close(fd)
        output = []
        delegate?.connectionDidClose(self, error: error)
    }

    public func handleEvents(_ events: UInt32) {
        if events & EPOLLOUT.rawValue != 0 {
            flush()
        }
        if state == .closed { return }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            readAvailable()
        }
    }

    private func readAvailable() {
        for _ in 0..<StreamConnection.readsPerEvent {
            guard state != .closed, !isReadingPaused || state == .lingering else { return }
            let count = read(fd, readBuffer.storage.baseAddress, readBuffer.storage.count)
            if count > 0 {
                if state != .lingering {
                    delegate?.connection(self, didRead: UnsafeRawBufferPointer(rebasing: readBuffer.storage[0..<count]))
                }
                if count < readBuffer.storage.count { return }
                continue
            }
            if count == 0 {
                close()
                return
            }
            let error = errno
            if error == EAGAIN || error == EWOULDBLOCK || error == EINTR { return }
            close(error: SystemError(call: "read", errno: error, subject: peer.description))
            return
        }
    }

    private func flush() {
        while pendingOutputBytes > 0 {
            let written = output.withUnsafeBytes { bytes in
                send(fd, bytes.baseAddress! + outputOffset, pendingOutputBytes, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                let error = errno
                if error == EINTR { continue }
                if error == EAGAIN || error == EWOULDBLOCK { break }
                close(error: SystemError(call: "send", errno: error, subject: peer.description))
                return
            }
            outputOffset += written
        }
        if pendingOutputBytes == 0 {
            output = []
            outputOffset = 0
            if state == .closingAfterFlush {
                startLingering()
                return
            }
            delegate?.connectionDidDrain(self)
        } else if outputOffset > 1 << 20 && outputOffset * 2 > output.count {
            output.removeFirst(outputOffset)
            outputOffset = 0
        }
        updateInterest()
    }

    private func startLingering() {
        state = .lingering
        shutdown(fd, Int32(SHUT_WR))
        updateInterest()
        lingerTimer = loop.scheduleTimer(at: loop.timeSource.now + .seconds(2)) { [weak self] in
            self?.close()
        }
    }

    private func updateInterest() {
        guard state != .closed else { return }
        var wanted: UInt32 = EPOLLRDHUP.rawValue
        if !isReadingPaused || state == .lingering { wanted |= EPOLLIN.rawValue }
        if pendingOutputBytes > 0 { wanted |= EPOLLOUT.rawValue }
        guard wanted != interest else { return }
        interest = wanted
        try? loop.modify(fd: fd, events: wanted)
    }
}
