import CatracaCore

/// One batch of outbox entries handed to an upstream transport.
public struct OutboxBatch: Sendable { public var key: String; public var entries: [OutboxEntry] }
public struct OutboxEntry: Sendable { public var id: Int64; public var kind: String; public var sn: String?;
    public var payload: String; public var createdAt: String }
public enum DeliveryResult: Sendable, Equatable {
    case delivered                      // upstream has it
    case retry(after: TimeSpan?, reason: String)   // temporary: back off (server's delay if given)
    case park(reason: String)           // permanent refusal: keep for an operator, move on
}
public protocol UpstreamTransport: AnyObject {
    var name: String { get }            // "http", "mqtt": names its delivery state in the store
    /// Delivers one batch; calls `completion` exactly once, on any thread.
    func deliver(_ batch: OutboxBatch, completion: @escaping @Sendable (DeliveryResult) -> Void)
    func stop()
}

// The declarations above are the contract shared with every transport, kept exactly as agreed. Their
// memberwise initializers are internal to this module, so the public ones below take other labels.

extension OutboxBatch {
    /// A batch of `entries` (in id order) for `transport`, keyed by its first and last id.
    public init(transport: String, entries: [OutboxEntry]) {
        let first = entries.first?.id ?? 0
        self.init(transport: transport, first: first, last: entries.last?.id ?? first, entries: entries)
    }

    /// The batch of the stored range `first...last` for `transport`: the key names the range, even should
    /// some of its entries be gone.
    public init(transport: String, first: Int64, last: Int64, entries: [OutboxEntry]) {
        self.init(key: OutboxBatch.key(transport: transport, first: first, last: last), entries: entries)
    }

    /// The idempotency key of the batch `first...last` for `transport`: stable across restarts, because the
    /// range being sent is stored before it is sent and read back after a restart.
    public static func key(transport: String, first: Int64, last: Int64) -> String {
        "\(transport)-\(first)-\(last)"
    }

    /// The first and last entry id; nil for an empty batch.
    public var range: ClosedRange<Int64>? {
        guard let first = entries.first?.id, let last = entries.last?.id else { return nil }
        return first...last
    }
}

extension OutboxEntry {
    /// An entry as the store holds it (`createdAt`: UTC ISO-8601 with milliseconds).
    public init(outboxID: Int64, kind: String, sn: String?, payload: String, createdAt: String) {
        self.init(id: outboxID, kind: kind, sn: sn, payload: payload, createdAt: createdAt)
    }
}
