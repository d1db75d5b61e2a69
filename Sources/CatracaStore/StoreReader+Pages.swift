extension StoreReader {
    /// The records matching `query`, in id order, one page at a time.
    ///
    /// One more row than the limit is read to tell whether another page follows, so `next` is nil on the
    /// last page rather than pointing at an empty one.
    public func records(matching query: RecordQuery) throws -> RecordPage {
        let from = query.from.map { $0.replacingOccurrences(of: "T", with: " ") }
        let to = query.to.map { $0.replacingOccurrences(of: "T", with: " ") }
        if let from { try StoreReader.validate(since: from, named: "from", path: database.path) }
        if let to { try StoreReader.validate(since: to, named: "to", path: database.path) }
        guard query.limit > 0 else {
            throw StoreError(kind: .invalidArgument("limit \(query.limit) must be at least 1"),
                             operation: "read records", path: database.path)
        }

        let statement = try database.prepare(
            """
            SELECT r.id, r.sn, r.enrollid, r.time, r.mode, r.inout, r.event, r.verifymode, r.temperature, r.name,
                   r.extra_json, r.received_at, EXISTS (SELECT 1 FROM photos p WHERE p.record_id = r.id)
            FROM records r
            WHERE r.id > ?1 AND (?2 IS NULL OR r.sn = ?2) AND (?3 IS NULL OR r.enrollid = ?3)
              AND (?4 IS NULL OR r.time >= ?4) AND (?5 IS NULL OR substr(r.time, 1, length(?5)) <= ?5)
            ORDER BY r.id
            LIMIT ?6
            """, operation: "read records")
        try statement.bind(query.afterID ?? 0, at: 1)
        try statement.bind(query.sn, at: 2)
        try statement.bind(query.enrollid, at: 3)
        try statement.bind(from, at: 4)
        try statement.bind(to, at: 5)
        try statement.bind(query.limit + 1, at: 6)

        var records = try RecordCursor(statement: statement).all()
        let more = records.count > query.limit
        if more { records.removeLast() }
        return RecordPage(records: records, next: more ? records.last?.id : nil)
    }

    /// How many records and quarantined entries the store holds.
    public func counts() throws -> StoreCounts {
        let statement = try database.prepare(
            "SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM quarantine)", operation: "count records")
        guard try statement.step() else { return StoreCounts(records: 0, quarantined: 0) }
        defer { statement.reset() }
        return StoreCounts(records: statement.int64(0), quarantined: statement.int64(1))
    }
}
