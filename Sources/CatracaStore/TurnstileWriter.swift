import CatracaTerminal
import Foundation

/// Writes rotations, grants and passages inside the store's transactions. Used only by `RecordStore`.
final class TurnstileWriter {
    private let database: Database
    private let outbox: OutboxWriter
    private let insertRotation: Statement
    private let insertGrant: Statement
    private let insertPassage: Statement
    private let closeRotation: Statement
    private let closeGrant: Statement

    init(database: Database, outbox: OutboxWriter) throws {
        self.database = database
        self.outbox = outbox
        insertRotation = try database.prepare(
            "INSERT INTO rotations (turnstile, direction, fell_at, width_ms) VALUES (?1, ?2, ?3, ?4)",
            operation: "store a rotation")
        insertGrant = try database.prepare(
            "INSERT OR IGNORE INTO grants (record_id, turnstile, received_at) VALUES (?1, ?2, ?3)",
            operation: "store a grant")
        insertPassage = try database.prepare(
            """
            INSERT INTO passages (turnstile, outcome, direction, side, turned_against_grant, grant_kind, sn, enrollid,
                                  record_id, rotation_id, fell_at, closed_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
            """, operation: "store a passage")
        closeRotation = try database.prepare(
            "UPDATE rotations SET passage_id = ?2 WHERE id = ?1", operation: "close a rotation")
        closeGrant = try database.prepare(
            "UPDATE grants SET passage_id = ?2 WHERE record_id = ?1", operation: "close a grant")
    }

    func store(_ rotation: RotationRow) throws -> Int64 {
        try insertRotation.bind(rotation.turnstile, at: 1)
        try insertRotation.bind(rotation.direction, at: 2)
        try insertRotation.bind(StoreTimestamp.format(rotation.fellAt), at: 3)
        try insertRotation.bind(rotation.widthMilliseconds, at: 4)
        try insertRotation.run()
        return database.lastInsertRowID
    }

    func storeGrant(recordID: Int64, turnstile: String, receivedAt: String) throws {
        try insertGrant.bind(recordID, at: 1)
        try insertGrant.bind(turnstile, at: 2)
        try insertGrant.bind(receivedAt, at: 3)
        try insertGrant.run()
    }

    /// Stores the passage, closes the inputs it ends, and puts it in the outbox, all in the caller's transaction.
    func store(_ passage: PassageRow, site: String) throws -> Int64 {
        try insertPassage.bind(passage.turnstile, at: 1)
        try insertPassage.bind(passage.outcome, at: 2)
        try insertPassage.bind(passage.direction, at: 3)
        try insertPassage.bind(passage.side, at: 4)
        try insertPassage.bind(passage.turnedAgainstGrant ? 1 : 0, at: 5)
        try insertPassage.bind(passage.grantKind, at: 6)
        try insertPassage.bind(passage.sn, at: 7)
        try insertPassage.bind(passage.enrollid, at: 8)
        try insertPassage.bind(passage.recordID, at: 9)
        try insertPassage.bind(passage.rotationID, at: 10)
        try insertPassage.bind(passage.fellAt.map(StoreTimestamp.format), at: 11)
        try insertPassage.bind(StoreTimestamp.format(passage.closedAt), at: 12)
        try insertPassage.run()
        let id = database.lastInsertRowID

        if let rotationID = passage.rotationID { try close(rotationID: rotationID, passageID: id) }
        for recordID in passage.closedRecordIDs { try close(recordID: recordID, passageID: id) }
        let payload = PassagePayload.json(passage, id: id, site: site)
        _ = try outbox.enqueue(kind: PassagePayload.kind, sn: passage.sn, payload: payload,
                               createdAt: StoreTimestamp.format(passage.closedAt))
        return id
    }

    /// Marks inputs that ended in no passage (a bounce, a grant at a turnstile no longer configured) as closed.
    func settle(rotationIDs: [Int64], recordIDs: [Int64]) throws {
        for id in rotationIDs { try close(rotationID: id, passageID: 0) }
        for id in recordIDs { try close(recordID: id, passageID: 0) }
    }

    private func close(rotationID: Int64, passageID: Int64) throws {
        try closeRotation.bind(rotationID, at: 1)
        try closeRotation.bind(passageID, at: 2)
        try closeRotation.run()
    }

    private func close(recordID: Int64, passageID: Int64) throws {
        try closeGrant.bind(recordID, at: 1)
        try closeGrant.bind(passageID, at: 2)
        try closeGrant.run()
    }
}
