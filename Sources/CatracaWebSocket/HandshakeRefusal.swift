/// A server's reason to refuse an otherwise valid upgrade, e.g. an unknown path. Sent as the response status
/// with `reason` in the body.
public struct HandshakeRefusal: Sendable, Equatable {
    public var status: Int
    public var reason: String

    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    public static func notFound(_ path: String) -> HandshakeRefusal {
        HandshakeRefusal(status: 404, reason: "no WebSocket endpoint at \(path)")
    }
}
