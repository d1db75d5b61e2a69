import CatracaHTTP

/// What a WebSocket connection reports to the layer above after receiving bytes or a timer tick.
public enum WebSocketEvent: Equatable, Sendable {
    /// The handshake is done. Server: the 101 response is queued, carries the request. Client: the 101 was
    /// received and validated, carries the request that was sent.
    case opened(HTTPRequestHead)
    /// Server: the upgrade was refused and a response with the reason in its body is queued. Client: the server
    /// did not accept the upgrade (its status, or 0 when its response could not be parsed). The connection ends
    /// once output is flushed.
    case rejected(status: Int, reason: String)
    /// A complete text message; its UTF-8 is already validated.
    case text([UInt8])
    /// A complete binary message.
    case binary([UInt8])
    /// The connection is over: close handshake done, protocol error sent, timeout or dead peer.
    /// Close the socket once output is flushed. `code` 1005 means the peer's close had no code,
    /// 1006 that there was no close handshake.
    case closed(code: UInt16, reason: String)
}
