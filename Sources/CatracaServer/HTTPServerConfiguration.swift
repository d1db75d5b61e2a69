import CatracaCore
import CatracaHTTP

/// Limits and timeouts of an `HTTPServer`.
public struct HTTPServerConfiguration: Sendable {
    /// The most body bytes one request may carry; more is answered 413. Face photos travel as base64 in
    /// JSON bodies, hence the generous default.
    public var maxBodyBytes = 32 * 1024 * 1024
    /// The most bytes of request line and header fields.
    public var maxHeadBytes = 16 * 1024
    /// A connection that sends nothing for this long while no request of its own is being answered is
    /// closed: with 408 when a request had started to arrive, silently when it was idle between requests.
    public var idleTimeout = TimeSpan.seconds(60)
    /// Open connections at most; one more is answered 503 and closed.
    public var maxConnections = 64

    public init() {}

    var parserLimits: HTTPParserLimits {
        HTTPParserLimits(maxHeadBytes: maxHeadBytes, maxBodyBytes: maxBodyBytes)
    }
}
