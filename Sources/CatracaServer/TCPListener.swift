#if canImport(Glibc)
import Glibc
#endif
import CSystem
import CatracaCore

/// A listening TCP socket on an event loop that hands each accepted connection to `onAccept`.
///
/// When the process runs out of descriptors, accepting pauses for a second instead of spinning on a
/// listener that stays readable, and the daemon says so once.
public final class TCPListener: EventLoopHandler {
    public let localAddress: SocketAddress
    private let fd: Int32
    private let loop: EventLoop
    private let logger: Logger
    private let onAccept: (Int32, SocketAddress) -> Void
    private var isPaused = false
    private var isClosed = false
    /// Whether running out of descriptors was already reported; cleared once a connection is accepted.
    private var reportedExhaustion = false

    /// Binds and listens on `address`; port 0 picks a free port (see `localAddress`).
    public init(loop: EventLoop, address: SocketAddress, backlog: Int32 = 1024, logger: Logger,
                onAccept: @escaping (Int32, SocketAddress) -> Void) throws {
        self.loop = loop
        self.logger = logger
        self.onAccept = onAccept
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let socketType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = try systemCall("socket", subject: address.description) { socket(family, socketType, 0) }
        do {
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            _ = try address.withSockaddr { pointer, length in
                try systemCall("bind", subject: address.description) { bind(fd, pointer, length) }
            }
            try systemCall("listen", subject: address.description) { listen(fd, backlog) }
            localAddress = try TCPListener.boundAddress(of: fd) ?? address
        } catch {
            Glibc.close(fd)
            throw error
        }
        self.fd = fd
        do {
            try loop.register(fd: fd, events: EPOLLIN.rawValue, handler: self)
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    public func handleEvents(_ events: UInt32) {
        acceptPending()
    }

    /// Stops listening. Connections already accepted are not affected.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        loop.unregister(fd: fd)
        Glibc.close(fd)
    }

    private func acceptPending() {
        // Bounded so that a flood of new connections cannot monopolise the loop.
        for _ in 0..<64 {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let client = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    csystem_accept_nonblocking(fd, $0, &length)
                }
            }
            if client < 0 {
                handleAcceptFailure(errno)
                return
            }
            let peer = withUnsafePointer(to: &storage) { SocketAddress(storage: $0) }
                ?? SocketAddress(host: "unknown", port: 0)
            if reportedExhaustion {
                reportedExhaustion = false
                logger.info("accepting connections again", ["listen": localAddress.description])
            }
            onAccept(client, peer)
        }
    }

    private func handleAcceptFailure(_ error: Int32) {
        switch error {
        case EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED, EPROTO:
            return
        case EMFILE, ENFILE, ENOBUFS, ENOMEM:
            pauseAccepting(SystemError(call: "accept", errno: error, subject: localAddress.description))
        default:
            logger.warning("accept failed", ["error": SystemError(call: "accept", errno: error).description])
        }
    }

    private func pauseAccepting(_ error: SystemError) {
        guard !isPaused else { return }
        isPaused = true
        if !reportedExhaustion {
            reportedExhaustion = true
            logger.error("cannot accept more connections; retrying every second; raise the open-files limit "
                         + "(LimitNOFILE)", ["listen": localAddress.description, "error": error.description])
        }
        try? loop.modify(fd: fd, events: 0)
        loop.scheduleTimer(at: loop.timeSource.now + .seconds(1)) { [weak self] in
            guard let self, !self.isClosed else { return }
            self.isPaused = false
            try? self.loop.modify(fd: self.fd, events: EPOLLIN.rawValue)
        }
    }

    private static func boundAddress(of fd: Int32) throws -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &storage) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                try systemCall("getsockname") { getsockname(fd, address, &length) }
            }
        }
        return withUnsafePointer(to: &storage) { SocketAddress(storage: $0) }
    }
}
