import CatracaStore

/// The next batch a transport must send, as read from the store.
public struct OutboxPendingBatch: Sendable {
    public var batch: OutboxBatch
    public var first: Int64
    public var last: Int64
    /// Why this batch is next: it decides what is stored before and after sending it.
    public var origin: Origin

    public enum Origin: Equatable, Sendable {
        /// New entries after the transport's position: the range is stored as "sending" before it goes.
        case fresh
        /// The range stored as "sending" before a restart: sent again as it was, with the same key.
        case unconfirmed
        /// A parked batch an operator put back in line.
        case requeuedParked
    }

    public init(transport: String, first: Int64, last: Int64, entries: [OutboxEntry], origin: Origin) {
        self.batch = OutboxBatch(transport: transport, first: first, last: last, entries: entries)
        self.first = first
        self.last = last
        self.origin = origin
    }

    /// Reads what `transport` must send next: a requeued parked batch first, then a batch left unconfirmed
    /// by a restart, then up to `batchSize` entries after its position. Nil when there is nothing.
    public static func next(from reader: StoreReader, transport: String, batchSize: Int) throws
        -> OutboxPendingBatch?
    {
        if let parked = try reader.outboxParkedBatches(transport: transport, requeuedOnly: true).first {
            let entries = try reader.outboxEntries(in: parked.firstID...parked.lastID)
            return OutboxPendingBatch(transport: transport, first: parked.firstID, last: parked.lastID,
                                      entries: entries, origin: .requeuedParked)
        }
        let position = try reader.outboxPosition(transport: transport)
        if let sending = position.sending {
            let entries = try reader.outboxEntries(in: sending)
            return OutboxPendingBatch(transport: transport, first: sending.lowerBound, last: sending.upperBound,
                                      entries: entries, origin: .unconfirmed)
        }
        let entries = try reader.outboxEntries(after: position.deliveredThrough, limit: batchSize)
        guard let first = entries.first?.id, let last = entries.last?.id else { return nil }
        return OutboxPendingBatch(transport: transport, first: first, last: last, entries: entries, origin: .fresh)
    }
}
