import CatracaCore
import CatracaHTTP
import CatracaWebSocket

/// Accepts TCP connections on one address and runs the WebSocket protocol on each.
///
/// `route` picks the handler for an upgrade request, or refuses it (e.g. an unknown path); the
/// channel then belongs to that handler.
public final class WebSocketServer {
    public let localAddress: SocketAddress
    public let budget: BufferBudget

    private let loop: EventLoop
    private let configuration: WebSocketConfiguration
    private let logger: Logger
    private let readBuffer = ReadBuffer()
    private var listener: TCPListener?
    private var channels: [UInt64: WebSocketChannel] = [:]
    private var nextID: UInt64 = 1
    private let route: (HTTPRequestHead) -> WebSocketHandler?

    /// Starts listening. Call on the loop thread (or before the loop runs).
    public init(loop: EventLoop, address: SocketAddress, configuration: WebSocketConfiguration, budgetBytes: Int,
                logger: Logger, route: @escaping (HTTPRequestHead) -> WebSocketHandler?) throws {
        self.loop = loop
        self.configuration = configuration
        self.logger = logger
        self.route = route
        self.budget = BufferBudget(limit: budgetBytes)
        var accept: ((Int32, SocketAddress) -> Void)?
        let listener = try TCPListener(loop: loop, address: address, logger: logger) { fd, peer in
            accept?(fd, peer)
        }
        self.listener = listener
        self.localAddress = listener.localAddress
        accept = { [weak self] fd, peer in self?.accept(fd: fd, peer: peer) }
        scheduleStallCheck()
    }

    /// While the budget holds some connections back, a peer that started a large message and then sent
    /// nothing for this long is closed (1008): it holds memory the others wait for.
    /// Short against the terminals' own ~20 s wait for an acknowledgement, long for a peer on the LAN.
    public static let stalledMessageTimeout = TimeSpan.seconds(5)

    private func scheduleStallCheck() {
        loop.scheduleTimer(at: loop.timeSource.now + .seconds(1)) { [weak self] in
            self?.closeStalledMessagesWhileShort()
            self?.scheduleStallCheck()
        }
    }

    private func closeStalledMessagesWhileShort() {
        guard budget.pausedCount > 0 else { return }
        let now = loop.timeSource.now
        for channel in channels.values where channel.partialMessageBytes > budget.reserve && !channel.isPausedByServer
            && now.since(channel.lastReadAt) >= WebSocketServer.stalledMessageTimeout {
            logger.warning("closing a connection whose message stalled while others wait for memory", [
                "peer": channel.peer.description, "partial_bytes": "\(channel.partialMessageBytes)",
            ])
            channel.close(code: 1008, reason: "message stalled while the server is short of memory")
        }
    }

    /// Open connections, including those still in their handshake.
    public var connectionCount: Int { channels.count }

    /// Stops accepting new connections; open ones go on.
    public func stopListening() {
        listener?.close()
        listener = nil
    }

    /// Starts the closing handshake on every open connection.
    public func closeAll(code: UInt16, reason: String) {
        for channel in channels.values { channel.close(code: code, reason: reason) }
    }

    private func accept(fd: Int32, peer: SocketAddress) {
        let id = nextID
        nextID += 1
        let stream = StreamConnection(fd: fd, peer: peer, loop: loop, readBuffer: readBuffer)
        var routed: WebSocketHandler?
        let state = WebSocketConnection(
            role: .server, configuration: configuration, now: loop.timeSource.now,
            acceptUpgrade: { [route] request in
                routed = route(request)
                return routed == nil ? HandshakeRefusal(status: 404, reason: "no WebSocket endpoint at this path") : nil
            }
        )
        let channel = WebSocketChannel(id: id, stream: stream, loop: loop, budget: budget, state: state) {
            [weak self] finished in
            self?.channels[finished.id] = nil
        }
        channel.handler = RoutingHandler { routed }
        channels[id] = channel
        do {
            try channel.start()
            logger.debug("connection accepted", ["peer": peer.description, "connection": "\(id)"])
        } catch {
            logger.warning("cannot watch a new connection", ["peer": peer.description, "error": "\(error)"])
            channels[id] = nil
            stream.close()
        }
    }
}

/// Hands a channel to the handler that `route` chose during the upgrade.
///
/// The choice is made inside the handshake, before the channel's `opened` event, so the channel
/// starts with this stand-in and swaps in the real handler when it opens.
private final class RoutingHandler: WebSocketHandler {
    private let chosen: () -> WebSocketHandler?

    init(chosen: @escaping () -> WebSocketHandler?) {
        self.chosen = chosen
    }

    func channelDidOpen(_ channel: WebSocketChannel, request: HTTPRequestHead) {
        channel.handler = chosen()
        channel.handler?.channelDidOpen(channel, request: request)
    }

    func channel(_ channel: WebSocketChannel, didReceiveText text: [UInt8]) {}
    func channel(_ channel: WebSocketChannel, didReceiveBinary bytes: [UInt8]) {}
    func channelDidClose(_ channel: WebSocketChannel, code: UInt16, reason: String) {}
}
