import CatracaCore
import CatracaTerminal

/// A read-only view of the store for the operator CLI, safe to use while the daemon writes.
///
/// In WAL mode a reader sees the database as of the last commit before its query started and neither
/// blocks the writer nor waits for it (https://sqlite.org/wal.html). A long-running read does keep the
/// WAL from being reset, so iterate and finish rather than holding a cursor open.
public final class StoreReader {
    let database: Database

    /// Opens the database at `path` read-only. It must exist and have this build's schema.
    public init(path: String, busyTimeout: TimeSpan = .milliseconds(5_000)) throws {
        database = try Database(path: path, mode: .readOnly, busyTimeout: busyTimeout)
        try Schema.requireCurrentVersion(database)
    }

    /// Records in the order they were stored.
    ///
    /// - Parameters:
    ///   - since: only records whose terminal time is at or after this: `YYYY-MM-DD HH:MM:SS` or a prefix
    ///     of it such as `2023-12-23` or `2023-12-23 13:49`.
    ///   - sn: only records from this terminal.
    ///   - receivedSince: only records the daemon received at or after this UTC time (`received_at`,
    ///     e.g. `2023-12-23T16:49` or a prefix): unlike the terminal's time, it never goes back, so an
    ///     incremental export does not miss records that arrive late with old times.
    ///   - limit: at most this many records.
    public func records(since given: String? = nil, sn: String? = nil, receivedSince: String? = nil,
                        limit: Int? = nil) throws -> RecordCursor {
        // Record times are stored with a space; accept the ISO `T` an operator may type.
        let since = given.map { $0.replacingOccurrences(of: "T", with: " ") }
        if let since { try StoreReader.validate(since: since, path: database.path) }
        // Also as `received_at` prints it: milliseconds and a trailing `Z` (UTC), e.g. 2023-12-23T16:49:30.123Z.
        let received = receivedSince.map { text -> String in
            let utc = text.replacingOccurrences(of: " ", with: "T")
            return utc.hasSuffix("Z") ? String(utc.dropLast()) : utc
        }
        if let received { try StoreReader.validate(receivedSince: received, path: database.path) }
        let statement = try database.prepare(
            """
            SELECT r.id, r.sn, r.enrollid, r.time, r.mode, r.inout, r.event, r.verifymode, r.temperature, r.name,
                   r.extra_json, r.received_at, EXISTS (SELECT 1 FROM photos p WHERE p.record_id = r.id)
            FROM records r
            WHERE (?1 IS NULL OR r.time >= ?1) AND (?2 IS NULL OR r.sn = ?2) AND (?4 IS NULL OR r.received_at >= ?4)
            ORDER BY r.id
            LIMIT ?3
            """, operation: "read records")
        try statement.bind(since, at: 1)
        try statement.bind(sn, at: 2)
        try statement.bind(limit ?? -1, at: 3)
        try statement.bind(received, at: 4)
        return RecordCursor(statement: statement)
    }

    /// Every terminal that has registered, by serial number.
    public func terminals() throws -> [StoredTerminal] {
        let statement = try database.prepare(
            "SELECT sn, devinfo_json, address, first_seen, last_seen FROM terminals ORDER BY sn",
            operation: "read terminals")
        var terminals: [StoredTerminal] = []
        while try statement.step() {
            terminals.append(StoredTerminal(
                sn: statement.text(0), devinfoJSON: statement.optionalText(1), address: statement.text(2),
                firstSeen: statement.text(3), lastSeen: statement.text(4)))
        }
        return terminals
    }

    /// Quarantined records in the order they were received.
    public func quarantine() throws -> [StoredQuarantinedRecord] {
        let statement = try database.prepare(
            "SELECT id, sn, received_at, reason, raw FROM quarantine ORDER BY id", operation: "read the quarantine")
        var records: [StoredQuarantinedRecord] = []
        while try statement.step() {
            records.append(StoredQuarantinedRecord(
                id: statement.int64(0), sn: statement.optionalText(1), receivedAt: statement.text(2),
                reason: statement.text(3), raw: statement.text(4)))
        }
        return records
    }

    /// The photo stored with record `recordID`, or nil when it had none or it was pruned.
    public func photo(recordID: Int64) throws -> Photo? {
        let statement = try database.prepare(
            "SELECT media_type, bytes FROM photos WHERE record_id = ?1", operation: "read a photo")
        try statement.bind(recordID, at: 1)
        guard try statement.step() else { return nil }
        defer { statement.reset() }
        return Photo(mediaType: statement.text(0), bytes: statement.blob(1) ?? [])
    }

    /// Closes the connection.
    public func close() {
        database.close()
    }

    /// Accepts `YYYY-MM-DD HH:MM:SS` and its prefixes, which compare in order against stored times.
    static func validate(since: String, named name: String = "since", path: String) throws {
        guard matches(since, pattern: "0000-00-00 00:00:00"), fieldsInRange(since) else {
            throw StoreError(kind: .invalidArgument("\(name) \"\(since)\" is not a terminal time; "
                                 + "give YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS"),
                             operation: "read records", path: path)
        }
    }

    /// Accepts `YYYY-MM-DDTHH:MM:SS.mmm` (UTC, as `received_at` is stored) and its prefixes.
    static func validate(receivedSince: String, path: String) throws {
        guard matches(receivedSince, pattern: "0000-00-00T00:00:00.000"), fieldsInRange(receivedSince) else {
            throw StoreError(kind: .invalidArgument("received-since \"\(receivedSince)\" is not a UTC time; "
                                 + "give YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS"),
                             operation: "read records", path: path)
        }
    }

    /// Whether the month, day, hour, minute and second a time (or its prefix) gives are ones a clock shows:
    /// `2024-13-45` has the right shape and would silently match nothing.
    private static func fieldsInRange(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let limits: [(range: Range<Int>, allowed: ClosedRange<Int>)] = [
            (5..<7, 1...12), (8..<10, 1...31), (11..<13, 0...23), (14..<16, 0...59), (17..<19, 0...59),
        ]
        for limit in limits where bytes.count >= limit.range.upperBound {
            guard let value = Int(String(decoding: bytes[limit.range], as: UTF8.self)), limit.allowed.contains(value)
            else { return false }
        }
        return true
    }

    /// Whether `text` is a prefix of `pattern` with a digit wherever the pattern has `0`.
    private static func matches(_ text: String, pattern: String) -> Bool {
        let given = Array(text.utf8)
        let expected = Array(pattern.utf8)
        return !given.isEmpty && given.count <= expected.count
            && zip(given, expected).allSatisfy { character, wanted in
                wanted == UInt8(ascii: "0") ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character)
                    : character == wanted
            }
    }
}

/// Steps through the records of a `StoreReader.records` query, one at a time.
public final class RecordCursor {
    private let statement: Statement

    init(statement: Statement) {
        self.statement = statement
    }

    deinit {
        statement.reset()
    }

    /// The next record, or nil after the last.
    public func next() throws -> StoredRecord? {
        guard try statement.step() else { return nil }
        return StoredRecord(
            id: statement.int64(0),
            identity: RecordIdentity(sn: statement.text(1), enrollid: statement.int64(2), time: statement.text(3),
                                     mode: statement.int(4), inOut: statement.int(5), event: statement.int(6)),
            verifyMode: statement.optionalInt(7), temperature: statement.optionalDouble(8),
            name: statement.optionalText(9), extraJSON: statement.optionalText(10),
            receivedAt: statement.text(11), hasPhoto: statement.int(12) != 0)
    }

    /// Reads the remaining records into an array.
    public func all() throws -> [StoredRecord] {
        var records: [StoredRecord] = []
        while let record = try next() {
            records.append(record)
        }
        return records
    }
}
