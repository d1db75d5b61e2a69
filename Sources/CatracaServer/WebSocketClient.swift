import CatracaCore
import CatracaWebSocket

/// Opens client WebSocket connections from the loop, on the same codec the server uses.
public final class WebSocketClient {
    private let loop: EventLoop
    private let configuration: WebSocketConfiguration
    private let readBuffer = ReadBuffer()
    private let budget: BufferBudget
    private var nextID: UInt64 = 1
    private var channels: [UInt64: WebSocketChannel] = [:]

    public init(loop: EventLoop, configuration: WebSocketConfiguration = WebSocketConfiguration()) {
        self.loop = loop
        self.configuration = configuration
        self.budget = BufferBudget(limit: 1 << 40)
    }

    /// Connects to `address` and starts the upgrade for `path`. `handler` hears `channelDidOpen` once
    /// the server accepted, or `channelDidClose` if the upgrade failed; `onConnectFailure` runs instead
    /// when no TCP connection could be made.
    public func connect(to address: SocketAddress, path: String, handler: WebSocketHandler,
                        onConnectFailure: @escaping (SystemError) -> Void) {
        let id = nextID
        nextID += 1
        TCPConnector.connect(to: address, loop: loop, readBuffer: readBuffer) { [self] result in
            switch result {
            case .failure(let error):
                onConnectFailure(error)
            case .success(let stream):
                var state = WebSocketConnection(role: .client, configuration: configuration, now: loop.timeSource.now)
                state.startClientHandshake(host: address.description, path: path, now: loop.timeSource.now)
                let channel = WebSocketChannel(id: id, stream: stream, loop: loop, budget: budget, state: state) {
                    [weak self] finished in
                    self?.channels[finished.id] = nil
                }
                channel.handler = handler
                channels[id] = channel
                do {
                    try channel.start()
                } catch {
                    channels[id] = nil
                    channel.abort(reason: "\(error)")
                }
            }
        }
    }
}
