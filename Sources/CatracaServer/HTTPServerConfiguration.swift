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
    /// Only once the connection sent an authorised request; before, `strangerIdleTimeout` applies.
    public var idleTimeout = TimeSpan.seconds(60)
    /// Open connections at most; one more is answered 503 and closed.
    public var maxConnections = 64
    /// The idle timeout of a connection that has not yet sent an authorised request (see `HTTPHeadVerdict`):
    /// strangers holding connections open must not keep the clients with a token out.
    public var strangerIdleTimeout = TimeSpan.seconds(10)
    /// A request's head must be complete this long after its first byte arrived, however it trickles in;
    /// else 408 and the connection closes.
    public var headTimeout = TimeSpan.seconds(10)
    /// An authorised request's body must be complete this long after its head; else 408. A stranger's body
    /// (the small ones public routes accept) gets `headTimeout`.
    public var bodyTimeout = TimeSpan.seconds(120)

    public init() {}

    var parserLimits: HTTPParserLimits {
        HTTPParserLimits(maxHeadBytes: maxHeadBytes, maxBodyBytes: maxBodyBytes)
    }
}
