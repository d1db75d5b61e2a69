extension StoreReader {
    /// Finished calls, newest first, optionally of one terminal, at most `limit`.
    public func calls(sn: String? = nil, limit: Int? = nil) throws -> [StoredCall] {
        let statement = try database.prepare(
            """
            SELECT id, kind, sn, session_id, input_mode, input_number, rang, answered_by, started_at, answered_at,
                   ended_at, duration_seconds, talk_seconds, ending
            FROM calls WHERE (?1 IS NULL OR sn = ?1) ORDER BY id DESC LIMIT ?2
            """, operation: "read calls")
        defer { statement.reset() }
        try statement.bind(sn, at: 1)
        try statement.bind(limit ?? -1, at: 2)
        var calls: [StoredCall] = []
        while try statement.step() {
            calls.append(StoredCall(
                id: statement.int64(0), kind: statement.text(1), sn: statement.text(2), sessionID: statement.text(3),
                inputMode: statement.optionalInt(4), inputNumber: statement.optionalText(5),
                rangJSON: statement.text(6), answeredBy: statement.optionalText(7), startedAt: statement.text(8),
                answeredAt: statement.optionalText(9), endedAt: statement.text(10),
                durationSeconds: statement.optionalDouble(11) ?? 0, talkSeconds: statement.optionalDouble(12),
                ending: statement.text(13)))
        }
        return calls
    }
}
