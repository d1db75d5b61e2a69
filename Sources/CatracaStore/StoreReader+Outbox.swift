/// Where one transport stands in the outbox.
public struct OutboxPosition: Equatable, Sendable {
    /// Every entry up to this id was delivered or parked by the transport.
    public var deliveredThrough: Int64
    /// The batch handed to the transport and not confirmed (sent again after a restart), if any.
    public var sending: ClosedRange<Int64>?

    public init(deliveredThrough: Int64 = 0, sending: ClosedRange<Int64>? = nil) {
        self.deliveredThrough = deliveredThrough
        self.sending = sending
    }
}

/// A batch a transport refused for good, kept for an operator.
public struct OutboxParkedBatch: Equatable, Sendable {
    public var transport: String
    public var firstID: Int64
    public var lastID: Int64
    public var entries: Int
    /// The server's answer (status and the start of its body) or the transport's reason.
    public var reason: String
    /// UTC ISO-8601.
    public var parkedAt: String
    /// Whether an operator put it back in line and it waits to be sent again.
    public var requeued: Bool

    /// The idempotency key it was (and will again be) sent with.
    public var key: String { OutboxBatch.key(transport: transport, first: firstID, last: lastID) }
}

/// How far the outbox is behind, for the status endpoint, the metrics and the backlog alarm.
///
/// Entries in parked batches (requeued or not) count as undelivered: a transport's position has moved past
/// them, yet they never reached upstream, and an alarm that ignored them would stay silent while an upstream
/// refuses everything.
public struct OutboxBacklog: Equatable, Sendable {
    /// Entries not yet delivered by at least one of the transports asked about (all entries when none),
    /// parked ones included.
    public var entries: Int64
    /// `created_at` of the oldest of them (UTC ISO-8601), nil when there are none.
    public var oldestCreatedAt: String?
    /// How many of `entries` lie in parked batches.
    public var parkedEntries: Int64 = 0

    public init(entries: Int64, oldestCreatedAt: String?, parkedEntries: Int64 = 0) {
        self.entries = entries
        self.oldestCreatedAt = oldestCreatedAt
        self.parkedEntries = parkedEntries
    }
}

/// Delivery figures of one transport, from the store.
public struct OutboxTransportFigures: Equatable, Sendable {
    public var name: String
    /// Entries in batches it confirmed that are still remembered (pruned history is not counted).
    public var delivered: Int64
    /// Batches it parked.
    public var parked: Int64
}

extension StoreReader {
    /// Where `transport` stands; a transport that never sent starts before the first entry.
    public func outboxPosition(transport: String) throws -> OutboxPosition {
        let statement = try database.prepare(
            "SELECT delivered_through, sending_first, sending_last FROM outbox_transport WHERE name = ?1",
            operation: "read an upstream transport's position")
        try statement.bind(transport, at: 1)
        defer { statement.reset() }
        guard try statement.step() else { return OutboxPosition() }
        var position = OutboxPosition(deliveredThrough: statement.int64(0))
        if !statement.isNull(1) && !statement.isNull(2) {
            position.sending = statement.int64(1)...max(statement.int64(1), statement.int64(2))
        }
        return position
    }

    /// Up to `limit` entries after id `after`, in id order.
    public func outboxEntries(after: Int64, limit: Int) throws -> [OutboxEntry] {
        let statement = try database.prepare(
            "SELECT id, kind, sn, payload, created_at FROM outbox WHERE id > ?1 ORDER BY id LIMIT ?2",
            operation: "read outbox entries")
        try statement.bind(after, at: 1)
        try statement.bind(limit, at: 2)
        return try entries(from: statement)
    }

    /// The entries of `range` still in the outbox, in id order.
    public func outboxEntries(in range: ClosedRange<Int64>) throws -> [OutboxEntry] {
        let statement = try database.prepare(
            "SELECT id, kind, sn, payload, created_at FROM outbox WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
            operation: "read outbox entries")
        try statement.bind(range.lowerBound, at: 1)
        try statement.bind(range.upperBound, at: 2)
        return try entries(from: statement)
    }

    private func entries(from statement: Statement) throws -> [OutboxEntry] {
        var entries: [OutboxEntry] = []
        while try statement.step() {
            entries.append(OutboxEntry(id: statement.int64(0), kind: statement.text(1), sn: statement.optionalText(2),
                                       payload: statement.text(3), createdAt: statement.text(4)))
        }
        return entries
    }

    /// Parked batches, oldest first; only those of `transport` when given, only requeued ones when asked.
    public func outboxParkedBatches(transport: String? = nil, requeuedOnly: Bool = false) throws
        -> [OutboxParkedBatch]
    {
        let statement = try database.prepare(
            """
            SELECT transport, first_id, last_id, entries, reason, parked_at, requeued FROM outbox_parked
            WHERE (?1 IS NULL OR transport = ?1) AND (?2 = 0 OR requeued = 1)
            ORDER BY parked_at, transport, first_id
            """, operation: "read parked outbox batches")
        try statement.bind(transport, at: 1)
        try statement.bind(requeuedOnly ? 1 : 0, at: 2)
        var batches: [OutboxParkedBatch] = []
        while try statement.step() {
            batches.append(OutboxParkedBatch(
                transport: statement.text(0), firstID: statement.int64(1), lastID: statement.int64(2),
                entries: statement.int(3), reason: statement.text(4), parkedAt: statement.text(5),
                requeued: statement.int(6) != 0))
        }
        return batches
    }

    /// Entries some of `transports` have not delivered yet, parked ones included, and the age of the oldest.
    public func outboxBacklog(transports: [String]) throws -> OutboxBacklog {
        var through = Int64.max
        for transport in transports {
            through = min(through, try outboxPosition(transport: transport).deliveredThrough)
        }
        if transports.isEmpty { through = 0 }
        let ahead = try outboxEntriesAhead(of: through)
        let parked = try parkedOutboxEntries(through: through)
        let oldest = [ahead.oldest, parked.oldest].compactMap { $0 }.min()
        return OutboxBacklog(entries: ahead.count + parked.count, oldestCreatedAt: oldest, parkedEntries: parked.count)
    }

    /// Entries after id `through`, and the `created_at` of the first.
    private func outboxEntriesAhead(of through: Int64) throws -> (count: Int64, oldest: String?) {
        let statement = try database.prepare(
            """
            SELECT count(*), (SELECT created_at FROM outbox WHERE id > ?1 ORDER BY id LIMIT 1)
            FROM outbox WHERE id > ?1
            """,
            operation: "count undelivered outbox entries")
        try statement.bind(through, at: 1)
        defer { statement.reset() }
        guard try statement.step() else { return (0, nil) }
        return (statement.int64(0), statement.optionalText(1))
    }

    /// Entries up to id `through` (those after it are counted already) that lie in a parked batch of any
    /// transport; driven from the few parked ranges, not from the whole outbox.
    private func parkedOutboxEntries(through: Int64) throws -> (count: Int64, oldest: String?) {
        let statement = try database.prepare(
            """
            SELECT count(DISTINCT o.id), min(o.created_at) FROM outbox_parked p
            JOIN outbox o ON o.id BETWEEN p.first_id AND p.last_id
            WHERE o.id <= ?1
            """,
            operation: "count parked outbox entries")
        try statement.bind(through, at: 1)
        defer { statement.reset() }
        guard try statement.step() else { return (0, nil) }
        return (statement.int64(0), statement.optionalText(1))
    }

    /// What the store remembers of `transport`'s deliveries and refusals.
    public func outboxFigures(transport: String) throws -> OutboxTransportFigures {
        let statement = try database.prepare(
            """
            SELECT (SELECT coalesce(sum(entries), 0) FROM outbox_delivery WHERE transport = ?1),
                   (SELECT count(*) FROM outbox_parked WHERE transport = ?1)
            """, operation: "count an upstream transport's deliveries")
        try statement.bind(transport, at: 1)
        defer { statement.reset() }
        guard try statement.step() else { return OutboxTransportFigures(name: transport, delivered: 0, parked: 0) }
        return OutboxTransportFigures(name: transport, delivered: statement.int64(0), parked: statement.int64(1))
    }
}
