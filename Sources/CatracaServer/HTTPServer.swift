import CatracaCore
import CatracaHTTP

/// Serves HTTP/1.1 on one address from the event loop: many clients at once, none able to block the
/// others, each request handed to `handler` with a responder it may answer later.
///
/// Bodies come with `Content-Length` or chunked (the parser removes the framing), up to
/// `HTTPServerConfiguration.maxBodyBytes`, and are read only once `headCheck` let the request's head through.
/// Connections are kept alive between requests; a request that cannot be parsed is answered with its status
/// (400, 413, 431, 501, 505) and the connection closes. Heads and bodies have deadlines, and a connection
/// that never sent an authorised request has a short idle timeout, so that slow or silent strangers cannot
/// hold the connection slots. When a client goes away while its request is answered, the responder's
/// `onClientGone` is called.
/// Knows nothing of what it serves.
public final class HTTPServer {
    /// Called on the loop with each request; must eventually call `respond` once, or the client waits
    /// until it gives up (the idle timeout does not run while a request is being answered).
    public typealias Handler = (HTTPRequest, HTTPResponder) -> Void
    /// Builds the response for a request the server itself refuses (malformed, too large, timed out,
    /// too many connections): status and a sentence saying why.
    public typealias ErrorResponse = (Int, String) -> HTTPResponse
    /// Called on the loop with each request's head and the client's address, before any of its body is read
    /// or `100 Continue` is sent: the place to check credentials, so that a stranger's upload is never buffered.
    public typealias HeadCheck = (HTTPRequestHead, SocketAddress) -> HTTPHeadVerdict

    public let localAddress: SocketAddress
    private let loop: EventLoop
    private let configuration: HTTPServerConfiguration
    private let logger: Logger
    private let handler: Handler
    private let errorResponse: ErrorResponse
    private let headCheck: HeadCheck
    private let readBuffer = ReadBuffer()
    private var listener: TCPListener?
    private var connections: [UInt64: HTTPServerConnection] = [:]
    private var nextID: UInt64 = 1

    /// Starts listening on `address`; port 0 picks a free port. Call on the loop thread or before it runs.
    /// Without `headCheck` every request is read and counts as authorised.
    public init(loop: EventLoop, address: SocketAddress, configuration: HTTPServerConfiguration = .init(),
                logger: Logger, errorResponse: @escaping ErrorResponse = HTTPServer.plainTextError,
                headCheck: HeadCheck? = nil, handler: @escaping Handler) throws {
        self.loop = loop
        self.configuration = configuration
        self.logger = logger
        self.handler = handler
        self.errorResponse = errorResponse
        self.headCheck = headCheck ?? { _, _ in .read(maxBodyBytes: nil, authorized: true) }
        var accept: ((Int32, SocketAddress) -> Void)?
        let listener = try TCPListener(loop: loop, address: address, logger: logger) { fd, peer in
            accept?(fd, peer)
        }
        self.listener = listener
        localAddress = listener.localAddress
        accept = { [weak self] fd, peer in self?.accept(fd: fd, peer: peer) }
    }

    /// Open connections.
    public var connectionCount: Int { connections.count }

    /// Stops accepting connections; open ones go on.
    public func stopListening() {
        listener?.close()
        listener = nil
    }

    /// Closes every connection at once; requests being answered get no response.
    public func closeAll() {
        for connection in Array(connections.values) { connection.close() }
    }

    /// The default error response: the sentence as `text/plain`.
    public static func plainTextError(status: Int, message: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]),
                     body: Array((message + "\n").utf8))
    }

    private func accept(fd: Int32, peer: SocketAddress) {
        let stream = StreamConnection(fd: fd, peer: peer, loop: loop, readBuffer: readBuffer)
        guard connections.count < configuration.maxConnections else {
            refuse(stream)
            return
        }
        let id = nextID
        nextID += 1
        let connection = HTTPServerConnection(
            id: id, stream: stream, loop: loop, configuration: configuration, headCheck: headCheck, handler: handler,
            errorResponse: errorResponse
        ) { [weak self] finished in
            self?.connections[finished.id] = nil
        }
        connections[id] = connection
        do {
            try connection.start()
        } catch {
            logger.warning("cannot watch a new connection", ["peer": peer.description, "error": "\(error)"])
            connections[id] = nil
            stream.close()
        }
    }

    /// Says 503 to one connection too many; the stream stays registered with the loop (which keeps it)
    /// until the answer is flushed and the peer has closed, or the linger ends.
    private func refuse(_ stream: StreamConnection) {
        logger.warning("too many API connections; refusing one", [
            "peer": stream.peer.description, "limit": "\(configuration.maxConnections)",
        ])
        do {
            try stream.start()
        } catch {
            stream.close()
            return
        }
        var response = errorResponse(503, "more than \(configuration.maxConnections) connections are open; "
                                     + "try again when some have closed")
        response.headers.replaceOrAdd(name: "Connection", value: "close")
        stream.write(response.serialized())
        stream.closeAfterFlush()
    }
}
