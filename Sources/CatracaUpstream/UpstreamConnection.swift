import CatracaStore

/// A transport that keeps a connection of its own open (MQTT's link to its broker), rather than one
/// exchange per batch as HTTP does: its pump opens it on start, and operators see whether it is up.
///
/// The transport module sits below this one, so the daemon declares the conformance where it builds the pump.
public protocol UpstreamConnection: UpstreamTransport {
    /// Opens the connection and keeps it open, reconnecting, until `stop()`.
    func start()
    /// Whether the connection is up now.
    var isConnected: Bool { get }
    /// Why the last attempt or connection failed.
    var lastConnectionError: String { get }
}
