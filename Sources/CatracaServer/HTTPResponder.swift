import CatracaHTTP

/// Answers one request. The handler may call `respond` at once or later, on the event loop, e.g. after
/// a terminal replied. Only the first call counts, and none does once the client has gone.
public final class HTTPResponder {
    private weak var connection: HTTPServerConnection?
    private let sequence: UInt64
    private var responded = false

    init(connection: HTTPServerConnection, sequence: UInt64) {
        self.connection = connection
        self.sequence = sequence
    }

    /// Whether the client is still there to be answered.
    public var isClientConnected: Bool {
        guard let connection else { return false }
        return !responded && connection.isAwaiting(sequence: sequence)
    }

    /// Sends `response`. Call on the event loop.
    public func respond(_ response: HTTPResponse) {
        guard !responded else { return }
        responded = true
        connection?.send(response, for: sequence)
    }
}
