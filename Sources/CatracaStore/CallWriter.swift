import CatracaJSON
import Foundation

/// Writes finished calls inside the store's transactions, each with its outbox entry. Used only by `RecordStore`.
final class CallWriter {
    private let database: Database
    private let outbox: OutboxWriter
    private let insertCall: Statement

    init(database: Database, outbox: OutboxWriter) throws {
        self.database = database
        self.outbox = outbox
        insertCall = try database.prepare(
            """
            INSERT INTO calls (kind, sn, session_id, input_mode, input_number, rang, answered_by, started_at,
                               answered_at, ended_at, duration_seconds, talk_seconds, ending)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            """, operation: "store a call")
    }

    /// Stores the call and puts it in the outbox, in the caller's transaction; returns its row id.
    func store(_ call: CallRow, site: String) throws -> Int64 {
        try insertCall.bind(call.kind, at: 1)
        try insertCall.bind(call.sn, at: 2)
        try insertCall.bind(call.sessionID, at: 3)
        try insertCall.bind(call.inputMode, at: 4)
        try insertCall.bind(call.inputNumber, at: 5)
        try insertCall.bind(JSONWriter().text(.array(call.rang.map { .string($0) })), at: 6)
        try insertCall.bind(call.answeredBy, at: 7)
        try insertCall.bind(StoreTimestamp.format(call.startedAt), at: 8)
        try insertCall.bind(call.answeredAt.map(StoreTimestamp.format), at: 9)
        try insertCall.bind(StoreTimestamp.format(call.endedAt), at: 10)
        try insertCall.bind(call.durationSeconds, at: 11)
        try insertCall.bind(call.talkSeconds, at: 12)
        try insertCall.bind(call.ending, at: 13)
        try insertCall.run()
        let id = database.lastInsertRowID
        _ = try outbox.enqueue(kind: CallPayload.kind, sn: call.sn, payload: CallPayload.json(call, id: id, site: site),
                               createdAt: StoreTimestamp.format(call.endedAt))
        return id
    }
}
