import CatracaCore

/// Limits and timers of one WebSocket connection. The defaults suit Evo Facial terminals.
public struct WebSocketConfiguration: Sendable, Equatable {
    /// The largest message accepted, summed over its fragments (inclusive); larger closes with 1009.
    public var maxMessageSize: Int = 16 * 1024 * 1024
    /// The whole upgrade request (server) or response (client) must arrive within this.
    public var handshakeTimeout: TimeSpan = .seconds(10)
    /// After this long without receiving anything, a ping is sent.
    public var pingInterval: TimeSpan = .seconds(30)
    /// After this long without receiving anything, the peer is taken for gone and the connection ends.
    public var deadPeerTimeout: TimeSpan = .seconds(75)
    /// A message whose first fragment arrived must be complete within this, or the connection closes with 1008.
    public var messageTimeout: TimeSpan = .seconds(120)
    /// After sending our close frame, how long to wait for the peer's before ending the connection.
    public var closeTimeout: TimeSpan = .seconds(5)

    public init() {}
}
