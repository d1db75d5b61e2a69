import CatracaTerminal
import Foundation

/// The outbox's writes, on the writer's connection: statements prepared once and run inside the caller's
/// transaction, so that an entry is stored exactly when what it carries is.
final class OutboxWriter {
    private let database: Database
    private let insertEntry: Statement
    private let ensureTransport: Statement
    private let setSending: Statement
    private let advance: Statement
    private let insertDelivery: Statement
    private let upsertParked: Statement
    private let deleteParked: Statement
    private let readMark: Statement
    private let requeue: Statement
    private let deleteDelivered: Statement
    private let deleteDeliveryRows: Statement

    init(database: Database) throws {
        self.database = database
        insertEntry = try database.prepare(
            "INSERT INTO outbox (kind, sn, payload, created_at) VALUES (?1, ?2, ?3, ?4)",
            operation: "add an outbox entry")
        ensureTransport = try database.prepare(
            "INSERT INTO outbox_transport (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
            operation: "add an upstream transport's delivery state")
        setSending = try database.prepare(
            "UPDATE outbox_transport SET sending_first = ?2, sending_last = ?3 WHERE name = ?1",
            operation: "note the outbox batch being sent")
        advance = try database.prepare(
            """
            UPDATE outbox_transport SET delivered_through = max(delivered_through, ?2), sending_first = NULL,
                sending_last = NULL
            WHERE name = ?1
            """, operation: "move an upstream transport past a batch")
        insertDelivery = try database.prepare(
            """
            INSERT INTO outbox_delivery (transport, first_id, last_id, entries, delivered_at)
            VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (transport, first_id) DO UPDATE SET last_id = excluded.last_id,
                entries = excluded.entries, delivered_at = excluded.delivered_at
            """, operation: "note a delivered outbox batch")
        upsertParked = try database.prepare(
            """
            INSERT INTO outbox_parked (transport, first_id, last_id, entries, reason, parked_at, requeued)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)
            ON CONFLICT (transport, first_id) DO UPDATE SET last_id = excluded.last_id,
                entries = excluded.entries, reason = excluded.reason, parked_at = excluded.parked_at, requeued = 0
            """, operation: "park an outbox batch")
        deleteParked = try database.prepare(
            "DELETE FROM outbox_parked WHERE transport = ?1 AND first_id = ?2", operation: "unpark an outbox batch")
        requeue = try database.prepare(
            "UPDATE outbox_parked SET requeued = 1 WHERE requeued = 0 AND (?1 IS NULL OR transport = ?1)",
            operation: "put parked outbox batches back in line")
        readMark = try database.prepare(
            "SELECT coalesce(max(last_id), 0) FROM outbox_delivery WHERE transport = ?1 AND delivered_at < ?2",
            operation: "find the delivered outbox entries old enough to delete")
        deleteDelivered = try database.prepare(
            """
            DELETE FROM outbox WHERE id IN (
                SELECT o.id FROM outbox o
                WHERE o.id <= ?1
                  AND NOT EXISTS (SELECT 1 FROM outbox_parked p WHERE o.id BETWEEN p.first_id AND p.last_id)
                ORDER BY o.id LIMIT ?2)
            """, operation: "delete delivered outbox entries")
        // A delivery row stays while it is its transport's newest (the history's end) or its entries remain.
        deleteDeliveryRows = try database.prepare(
            """
            DELETE FROM outbox_delivery WHERE delivered_at < ?1
              AND last_id < (SELECT max(d.last_id) FROM outbox_delivery d WHERE d.transport = outbox_delivery.transport)
              AND last_id < coalesce((SELECT min(id) FROM outbox), 9223372036854775807)
            """, operation: "delete old outbox delivery rows")
    }

    /// Adds an entry; returns its id.
    func enqueue(kind: String, sn: String?, payload: String, createdAt: String) throws -> Int64 {
        try insertEntry.bind(kind, at: 1)
        try insertEntry.bind(sn, at: 2)
        try insertEntry.bind(payload, at: 3)
        try insertEntry.bind(createdAt, at: 4)
        try insertEntry.run()
        return database.lastInsertRowID
    }

    /// Applies `update`; returns how many rows it changed (batches requeued, entries pruned).
    func apply(_ update: OutboxUpdate) throws -> Int {
        switch update {
        case .sending(let transport, let first, let last):
            try ensure(transport)
            try run(setSending, transport, first, last)
            return 1
        case .delivered(let transport, let first, let last, let entries, let date, let resent):
            try ensure(transport)
            try run(insertDelivery, transport, first, last, Int64(entries), StoreTimestamp.format(date))
            try settle(transport: transport, first: first, last: last, resent: resent)
            return 1
        case .parked(let transport, let first, let last, let entries, let reason, let date, let resent):
            try ensure(transport)
            try run(upsertParked, transport, first, last, Int64(entries), reason, StoreTimestamp.format(date))
            if !resent { try run(advance, transport, last) }
            return 1
        case .requeueParked(let transport):
            try run(requeue, transport)
            return database.changes
        case .prune(let before, let transports, let limit):
            return try prune(before: before, transports: transports, limit: limit)
        }
    }

    private func ensure(_ transport: String) throws {
        try run(ensureTransport, transport)
    }

    /// A first delivery moves the transport on; a parked batch delivered on retry is simply no longer parked.
    private func settle(transport: String, first: Int64, last: Int64, resent: Bool) throws {
        if resent {
            try run(deleteParked, transport, first)
        } else {
            try run(advance, transport, last)
        }
    }

    private func prune(before date: Date, transports: [String], limit: Int) throws -> Int {
        guard !transports.isEmpty else { return 0 }
        let cutoff = StoreTimestamp.format(date)
        // An entry at or below every transport's mark (the highest id it delivered in a batch confirmed
        // before the cutoff) and in no parked range was delivered everywhere long enough ago to go.
        var mark = Int64.max
        for transport in transports {
            mark = min(mark, try deliveredMark(transport: transport, before: cutoff))
        }
        guard mark > 0 else { return 0 }

        try run(deleteDelivered, mark, Int64(limit))
        let deleted = database.changes
        try run(deleteDeliveryRows, cutoff)
        return deleted
    }

    private func deliveredMark(transport: String, before cutoff: String) throws -> Int64 {
        try readMark.bind(transport, at: 1)
        try readMark.bind(cutoff, at: 2)
        defer { readMark.reset() }
        return try readMark.step() ? readMark.int64(0) : 0
    }

    private func run(_ statement: Statement, _ values: Any?...) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case let number as Int64: try statement.bind(number, at: index)
            case let text as String: try statement.bind(text, at: index)
            default: try statement.bindNull(at: index)
            }
        }
        try statement.run()
    }
}
