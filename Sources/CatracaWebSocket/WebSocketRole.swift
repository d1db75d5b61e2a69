/// Which side of the connection this endpoint is: terminals are clients, the daemon is the server.
public enum WebSocketRole: Sendable, Equatable {
    case server
    case client
}
