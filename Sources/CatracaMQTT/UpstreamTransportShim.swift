import CatracaCore

// These declarations stand in for the outbox branch's, which owns the real ones: the forwarder there
// drives every upstream transport through `UpstreamTransport`. On merge this file goes away and
// CatracaMQTT imports the outbox's module instead; the shapes below are copied from the agreed brief.

/// One batch of outbox entries handed to an upstream transport.
public struct OutboxBatch: Sendable {
    public var key: String
    public var entries: [OutboxEntry]

    public init(key: String, entries: [OutboxEntry]) {
        self.key = key
        self.entries = entries
    }
}

/// One outbox entry: a record, passage or event waiting for the upstream, with its stable id.
public struct OutboxEntry: Sendable {
    public var id: Int64
    public var kind: String
    public var sn: String?
    public var payload: String
    public var createdAt: String

    public init(id: Int64, kind: String, sn: String?, payload: String, createdAt: String) {
        self.id = id
        self.kind = kind
        self.sn = sn
        self.payload = payload
        self.createdAt = createdAt
    }
}

/// What became of one batch handed to a transport.
public enum DeliveryResult: Sendable, Equatable {
    case delivered
    case retry(after: TimeSpan?, reason: String)
    case park(reason: String)
}

/// A way to the site's central system that the outbox forwarder drives.
public protocol UpstreamTransport: AnyObject {
    var name: String { get }
    /// Delivers one batch; calls `completion` exactly once, on any thread.
    func deliver(_ batch: OutboxBatch, completion: @escaping @Sendable (DeliveryResult) -> Void)
    func stop()
}
