import CatracaHTTP

/// A response whose body is written piece by piece as it comes (server-sent events), in chunked framing,
/// until the handler finishes it or the client goes away. The connection is closed when the stream ends.
///
/// Output the client has not read yet is bounded: a write that would queue more than `maxBufferedBytes`
/// drops the client instead, so a slow or stalled reader never holds the loop or unbounded memory.
/// All calls happen on the event loop.
public final class HTTPResponseStream {
    private weak var connection: HTTPServerConnection?
    /// The most bytes queued for the client; past it the client is dropped.
    public let maxBufferedBytes: Int
    /// Called once when the stream ends, whoever ended it (not when `finish` is called by the handler).
    public var onClose: (() -> Void)?
    public private(set) var isOpen = true

    init(connection: HTTPServerConnection, maxBufferedBytes: Int) {
        self.connection = connection
        self.maxBufferedBytes = maxBufferedBytes
    }

    /// Sends `bytes` as one chunk. Returns false when the stream has ended, or ends it now because the
    /// client has fallen more than `maxBufferedBytes` behind.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        guard isOpen, let connection, !bytes.isEmpty else { return isOpen }
        let chunk = HTTPResponseStream.chunk(bytes)
        guard connection.pendingOutputBytes + chunk.count <= maxBufferedBytes else {
            connection.dropStreamingClient()
            return false
        }
        connection.writeStreamed(chunk)
        return true
    }

    /// Ends the body (the last, empty chunk) and closes the connection once it is written.
    public func finish() {
        guard isOpen else { return }
        isOpen = false
        onClose = nil
        connection?.finishStream(last: Array("0\r\n\r\n".utf8))
    }

    /// The connection closed (the client left, was dropped, or the server closed everything).
    func connectionClosed() {
        guard isOpen else { return }
        isOpen = false
        let callback = onClose
        onClose = nil
        callback?()
    }

    /// `bytes` in chunked transfer coding (RFC 9112 section 7.1): size in hex, CRLF, data, CRLF.
    static func chunk(_ bytes: [UInt8]) -> [UInt8] {
        var framed = Array(String(bytes.count, radix: 16).utf8)
        framed.append(contentsOf: [0x0D, 0x0A])
        framed.append(contentsOf: bytes)
        framed.append(contentsOf: [0x0D, 0x0A])
        return framed
    }
}
