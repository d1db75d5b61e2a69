import CatracaTerminal
import Foundation

extension StoreReader {
    /// Rotations not yet closed into a passage, oldest first: what a restart hands back to the joiner.
    public func openRotations() throws -> [OpenRotation] {
        let statement = try database.prepare(
            "SELECT id, turnstile, direction, fell_at, width_ms FROM rotations WHERE passage_id IS NULL ORDER BY id",
            operation: "read open rotations")
        defer { statement.reset() }
        var rotations: [OpenRotation] = []
        while try statement.step() {
            let fellAt = StoreTimestamp.parse(statement.text(3)) ?? Date(timeIntervalSince1970: 0)
            let row = RotationRow(turnstile: statement.text(1), direction: statement.text(2), fellAt: fellAt,
                                  widthMilliseconds: statement.optionalDouble(4) ?? 0)
            rotations.append(OpenRotation(id: statement.int64(0), row: row))
        }
        return rotations
    }

    /// Grants not yet closed into a passage, with their records, oldest first.
    public func openGrants() throws -> [OpenGrant] {
        let statement = try database.prepare(
            """
            SELECT r.id, r.sn, r.enrollid, r.time, r.mode, r.inout, r.event, r.verifymode, r.temperature, r.name,
                   r.extra_json, r.received_at, 0, g.turnstile
            FROM grants g JOIN records r ON r.id = g.record_id
            WHERE g.passage_id IS NULL
            ORDER BY g.record_id
            """, operation: "read open grants")
        let cursor = RecordCursor(statement: statement)
        var grants: [OpenGrant] = []
        while let record = try cursor.next() {
            let receivedAt = StoreTimestamp.parse(record.receivedAt) ?? Date(timeIntervalSince1970: 0)
            grants.append(OpenGrant(record: record, turnstile: statement.text(13), receivedAt: receivedAt))
        }
        return grants
    }

    /// Passages in the order they were closed, after the cursor `after` (a passage id), at most `limit`.
    public func passages(turnstile: String? = nil, after: Int64? = nil, limit: Int? = nil) throws -> [StoredPassage] {
        let statement = try database.prepare(
            """
            SELECT p.id, p.turnstile, p.outcome, p.direction, p.side, p.turned_against_grant, p.grant_kind, p.sn,
                   p.enrollid, p.record_id, r.time, p.rotation_id, p.fell_at, p.closed_at
            FROM passages p LEFT JOIN records r ON r.id = p.record_id
            WHERE (?1 IS NULL OR p.turnstile = ?1) AND p.id > ?2
            ORDER BY p.id
            LIMIT ?3
            """, operation: "read passages")
        defer { statement.reset() }
        try statement.bind(turnstile, at: 1)
        try statement.bind(after ?? 0, at: 2)
        try statement.bind(limit ?? -1, at: 3)
        var passages: [StoredPassage] = []
        while try statement.step() {
            passages.append(StoredPassage(
                id: statement.int64(0), turnstile: statement.text(1), outcome: statement.text(2),
                direction: statement.optionalText(3), side: statement.optionalText(4),
                turnedAgainstGrant: statement.int(5) != 0, grantKind: statement.optionalText(6),
                sn: statement.optionalText(7), enrollid: statement.optionalInt(8).map(Int64.init),
                recordID: statement.optionalInt(9).map(Int64.init), recordTime: statement.optionalText(10),
                rotationID: statement.optionalInt(11).map(Int64.init), fellAt: statement.optionalText(12),
                closedAt: statement.text(13)))
        }
        return passages
    }
}
