import CatracaHTTP

/// Answers one request. The handler may call `respond` at once or later, on the event loop, e.g. after
/// a terminal replied. Only the first call counts, and none does once the client has gone.
public final class HTTPResponder {
    private weak var connection: HTTPServerConnection?
    private let sequence: UInt64
    private var responded = false

    /// Called once, on the event loop, when the client goes away before it was answered (it hung up, or the
    /// server closed its connection): the place to withdraw work done only for this caller. Not called once
    /// a response or a stream was started.
    public var onClientGone: (() -> Void)?

    init(connection: HTTPServerConnection, sequence: UInt64) {
        self.connection = connection
        self.sequence = sequence
    }

    /// Whether the client is still there to be answered.
    public var isClientConnected: Bool {
        guard let connection else { return false }
        return !responded && connection.isAwaiting(sequence: sequence)
    }

    /// The client's address, or nil once it has gone. Behind a reverse proxy this is the proxy's.
    public var peer: SocketAddress? { connection?.peer }

    /// The connection closed while this request waited for its answer.
    func clientWentAway() {
        guard !responded else { return }
        responded = true
        let gone = onClientGone
        onClientGone = nil
        gone?()
    }

    /// Sends `response`. Call on the event loop.
    public func respond(_ response: HTTPResponse) {
        guard !responded else { return }
        responded = true
        onClientGone = nil
        connection?.send(response, for: sequence)
    }

    /// Sends `head` (status and header fields, its body ignored) and keeps the connection open for a body
    /// written piece by piece through the returned stream; nil when the client has gone or was answered.
    /// The head gets `Transfer-Encoding: chunked` and `Connection: close`. Call on the event loop.
    public func startStream(_ head: HTTPResponse, maxBufferedBytes: Int = 256 * 1024) -> HTTPResponseStream? {
        guard !responded, let connection else { return nil }
        responded = true
        onClientGone = nil
        var head = head
        head.body = []
        head.headers.remove(name: "Content-Length")
        head.headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        let stream = HTTPResponseStream(connection: connection, maxBufferedBytes: maxBufferedBytes)
        guard connection.startStream(stream, head: head, for: sequence) else { return nil }
        return stream
    }
}
