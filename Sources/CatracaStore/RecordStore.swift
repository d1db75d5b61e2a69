import CatracaCore
import CatracaTerminal
import Foundation

/// The daemon's write connection: stores batches and registrations, many at a time, in one transaction.
///
/// Synchronous and not thread-safe: the `StoreWriter` thread is its only user. Statements are prepared once
/// at open and reused for every record.
public final class RecordStore {
    /// The underlying connection.
    public let database: Database
    private let clock: TimeSource
    private let checkpoints = WALCheckpoints()
    private let lock: WriterLock

    private let insertRecord: Statement
    private let insertPhoto: Statement
    private let insertQuarantined: Statement
    private let upsertTerminal: Statement
    private let touchTerminal: Statement
    private let deleteOldPhotos: Statement
    private let outbox: OutboxWriter
    private let turnstiles: TurnstileWriter
    private let calls: CallWriter

    /// What a newly stored record puts in the outbox; set before the writer starts.
    public var outboxPolicy = RecordOutboxPolicy()

    /// Says at which turnstile a newly stored record is a grant (a known person verified at a terminal that
    /// stands there), nil when it is none. Grants are kept in the record's own transaction, so that a
    /// restart finds every grant whose passage was not closed yet. Set before the writer starts.
    public var grantTurnstile: (@Sendable (AccessRecord) -> String?)?

    /// Opens (creating if needed) the database at `path`, in WAL mode with `synchronous=FULL`, and migrates
    /// its schema. The directory must exist.
    ///
    /// - Parameters:
    ///   - clock: the wall clock for `stored_at` of photos.
    ///   - busyTimeout: how long to wait for a lock held by another connection (e.g. a checkpointing reader).
    public init(path: String, clock: TimeSource = SystemTimeSource(),
                busyTimeout: TimeSpan = .milliseconds(5_000)) throws {
        let lock = try WriterLock(databasePath: path)
        // A clean stop checkpoints and empties the write-ahead log; one left with frames means the last run
        // ended hard (power loss, kill -9, a file swapped underneath): check the file before trusting it.
        let endedHard = RecordStore.hasLoggedFrames(path)
        let database = try Database(path: path, mode: .readWrite, busyTimeout: busyTimeout)
        if endedHard { try RecordStore.requireIntact(database) }
        try RecordStore.configure(database)
        try Schema.migrate(database)
        try Schema.requireRecordIdentityIndex(database)

        self.database = database
        self.clock = clock
        self.lock = lock
        checkpoints.install(on: database)
        outbox = try OutboxWriter(database: database)
        turnstiles = try TurnstileWriter(database: database, outbox: outbox)
        calls = try CallWriter(database: database, outbox: outbox)
        insertRecord = try database.prepare(
            """
            INSERT INTO records (sn, enrollid, time, mode, inout, event, verifymode, temperature, name, extra_json,
                                 received_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
            ON CONFLICT DO NOTHING
            """, operation: "insert a record")
        insertPhoto = try database.prepare(
            "INSERT INTO photos (record_id, media_type, bytes, stored_at) VALUES (?1, ?2, ?3, ?4)",
            operation: "insert a photo")
        insertQuarantined = try database.prepare(
            """
            INSERT INTO quarantine (sn, received_at, reason, raw, raw_hash) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT DO NOTHING
            """,
            operation: "insert a quarantined record")
        upsertTerminal = try database.prepare(
            """
            INSERT INTO terminals (sn, devinfo_json, address, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?4)
            ON CONFLICT (sn) DO UPDATE SET
                devinfo_json = coalesce(excluded.devinfo_json, terminals.devinfo_json),
                address = excluded.address,
                last_seen = excluded.last_seen
            """, operation: "store a terminal registration")
        touchTerminal = try database.prepare(
            "UPDATE terminals SET last_seen = max(last_seen, ?2) WHERE sn = ?1",
            operation: "note when a terminal was last seen")
        deleteOldPhotos = try database.prepare(
            """
            DELETE FROM photos WHERE record_id IN
                (SELECT record_id FROM photos WHERE stored_at < ?1 ORDER BY stored_at LIMIT ?2)
            """, operation: "delete old photos")
    }

    /// WAL lets the CLI read while the daemon writes; FULL syncs the WAL at every commit, so a commit that
    /// returned survives a power loss (https://sqlite.org/pragma.html#pragma_synchronous).
    private static func hasLoggedFrames(_ path: String) -> Bool {
        let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.intValue
        return (size ?? 0) > 0
    }

    /// Refuses a database SQLite finds damaged (`PRAGMA quick_check`), so that nothing is acknowledged into it.
    static func requireIntact(_ database: Database) throws {
        let statement = try database.prepare("PRAGMA quick_check(5)", operation: "check the database after a hard stop")
        defer { statement.reset() }
        var problems: [String] = []
        while try statement.step() { problems.append(statement.text(0)) }
        guard problems != ["ok"] else { return }
        throw StoreError(kind: .invalidArgument("the database is damaged (" + problems.joined(separator: "; ")
                             + "); restore a backup (catraca backup) or move the file aside to start empty"),
                         operation: "check the database after a hard stop", path: database.path)
    }

    private static func configure(_ database: Database) throws {
        let statement = try database.prepare("PRAGMA journal_mode = WAL", operation: "switch to WAL journal mode")
        let mode = try statement.step() ? statement.text(0) : ""
        statement.reset()
        guard mode.lowercased() == "wal" else {
            throw StoreError(kind: .invalidArgument("SQLite kept journal mode \(mode) instead of WAL; "
                                 + "the database must be on a local file system"),
                             operation: "switch to WAL journal mode", path: database.path)
        }
        try database.execute("PRAGMA synchronous = FULL", operation: "set synchronous=FULL")
        // A long export keeps the log from starting over; once it does, the file is cut back to this.
        try database.execute("PRAGMA journal_size_limit = 67108864", operation: "set journal_size_limit")
    }

    /// Whether the write-ahead log has grown enough that `checkpoint()` should run before the next commit.
    public var isCheckpointDue: Bool { checkpoints.isDue }

    /// Copies the write-ahead log into the database file. The writer calls it between commits, once the
    /// acknowledgements of the last commit are on their way, instead of inside a commit.
    public func checkpoint() throws {
        try checkpoints.checkpoint(database)
    }

    /// Closes the connection.
    ///
    /// The log is copied into the database file and emptied first, so that after a clean stop the
    /// database file alone holds everything (a copy of it is a complete backup). A close that SQLite
    /// defers while statements are alive would otherwise leave the data in `-wal` only.
    public func close() {
        do {
            try database.execute("PRAGMA wal_checkpoint(TRUNCATE)", operation: "checkpoint at close")
        } catch {
            // The data is safe in the log and SQLite replays it at the next open; nothing else to do.
        }
        database.close()
        lock.release()
    }

    /// Commits all of `work` in one transaction and says what each item did, in order.
    ///
    /// If anything fails the whole transaction is rolled back and nothing of `work` is stored.
    public func commit(_ work: [StoreWork]) throws -> [StoreWorkResult] {
        try lock.requireFileInPlace()
        let storedAt = StoreTimestamp.format(clock.wallClock)
        return try database.transaction(operation: "commit \(work.count) items") {
            try work.map { item in
                switch item {
                case .batch(let batch):
                    return .batch(try store(batch, storedAt: storedAt))
                case .registration(let registration):
                    try store(registration)
                    return .registration
                case .seen(let sn, let date):
                    try touch(sn: sn, at: StoreTimestamp.format(date))
                    return .seen
                case .outbox(let update):
                    return .outbox(changed: try outbox.apply(update))
                case .rotation(let rotation):
                    return .rotation(id: try turnstiles.store(rotation))
                case .passage(let passage):
                    return .passage(id: try turnstiles.store(passage, site: outboxPolicy.site))
                case .settled(let rotationIDs, let recordIDs):
                    try turnstiles.settle(rotationIDs: rotationIDs, recordIDs: recordIDs)
                    return .settled
                case .call(let call):
                    return .call(id: try calls.store(call, site: outboxPolicy.site))
                }
            }
        }
    }

    /// Adds an outbox entry inside the caller's transaction, so that it is stored exactly when what it carries
    /// is (passages, alarms: their stores call this from their own `commit` work). Returns the entry's id.
    ///
    /// - Parameters:
    ///   - kind: `record`, `passage`, `alarm`, ...: names the payload's schema (docs/upstream/payloads.md).
    ///   - sn: the terminal it came from, when there is one.
    ///   - payload: a JSON object text with a `version` field.
    @discardableResult
    public func enqueueOutbox(kind: String, sn: String?, payload: String, createdAt: Date) throws -> Int64 {
        try outbox.enqueue(kind: kind, sn: sn, payload: payload, createdAt: StoreTimestamp.format(createdAt))
    }

    /// Applies an outbox delivery change in its own transaction (outside the writer, for tools and tests).
    @discardableResult
    public func apply(_ update: OutboxUpdate) throws -> Int {
        try database.transaction(operation: "update the outbox") { try outbox.apply(update) }
    }

    /// Deletes photos stored before `date`, in chunks of `chunkSize` each in its own transaction so that a
    /// large backlog does not hold the write lock for long. Returns how many were deleted.
    @discardableResult
    public func prunePhotos(olderThan date: Date, chunkSize: Int = 500) throws -> Int {
        var deleted = 0
        while true {
            let count = try pruneChunk(olderThan: date, limit: chunkSize)
            deleted += count
            if count < chunkSize { return deleted }
        }
    }

    /// Deletes at most `limit` photos stored before `date`, in one transaction; returns how many.
    func pruneChunk(olderThan date: Date, limit: Int) throws -> Int {
        try database.transaction(operation: "delete old photos") {
            try deleteOldPhotos.bind(StoreTimestamp.format(date), at: 1)
            try deleteOldPhotos.bind(limit, at: 2)
            try deleteOldPhotos.run()
            return database.changes
        }
    }

    private func store(_ batch: RecordBatch, storedAt: String) throws -> BatchOutcome {
        let receivedAt = StoreTimestamp.format(batch.receivedAt)
        var inserted = 0
        var grants: [NewGrant] = []

        for (index, record) in batch.records.enumerated() {
            guard let recordID = try store(record, receivedAt: receivedAt, storedAt: storedAt) else { continue }
            inserted += 1
            if let turnstile = grantTurnstile?(record) {
                try turnstiles.storeGrant(recordID: recordID, turnstile: turnstile, receivedAt: receivedAt)
                grants.append(NewGrant(index: index, recordID: recordID, turnstile: turnstile))
            }
        }
        for quarantined in batch.quarantined {
            try store(quarantined, receivedAt: receivedAt)
        }
        // A terminal that stays connected for weeks registers once; its records say it is still there.
        try touch(sn: batch.sn, at: receivedAt)

        return BatchOutcome(inserted: inserted, duplicates: batch.records.count - inserted,
                            quarantined: batch.quarantined.count, grants: grants)
    }

    private func touch(sn: String, at timestamp: String) throws {
        try touchTerminal.bind(sn, at: 1)
        try touchTerminal.bind(timestamp, at: 2)
        try touchTerminal.run()
    }

    /// Inserts a record and its photo; returns its row id, or nil when it was already stored (a resend).
    private func store(_ record: AccessRecord, receivedAt: String, storedAt: String) throws -> Int64? {
        let identity = record.identity
        try insertRecord.bind(identity.sn, at: 1)
        try insertRecord.bind(identity.enrollid, at: 2)
        try insertRecord.bind(identity.time, at: 3)
        try insertRecord.bind(identity.mode, at: 4)
        try insertRecord.bind(identity.inOut, at: 5)
        try insertRecord.bind(identity.event, at: 6)
        try insertRecord.bind(record.verifyMode, at: 7)
        try insertRecord.bind(record.temperature, at: 8)
        try insertRecord.bind(record.name, at: 9)
        try insertRecord.bind(record.extraJSON, at: 10)
        try insertRecord.bind(receivedAt, at: 11)
        try insertRecord.run()

        // ON CONFLICT DO NOTHING changes no row for a duplicate (https://sqlite.org/c3ref/changes.html).
        guard database.changes == 1 else { return nil }
        let recordID = database.lastInsertRowID

        if let photo = record.photo {
            try insertPhoto.bind(recordID, at: 1)
            try insertPhoto.bind(photo.mediaType, at: 2)
            try insertPhoto.bind(photo.bytes, at: 3)
            try insertPhoto.bind(storedAt, at: 4)
            try insertPhoto.run()
        }
        // Only a newly stored record goes upstream: a resend is already there or on its way.
        let payload = RecordPayload.json(record, id: recordID, receivedAt: receivedAt, policy: outboxPolicy)
        _ = try outbox.enqueue(kind: RecordPayload.kind, sn: identity.sn, payload: payload, createdAt: storedAt)
        return recordID
    }

    private func store(_ quarantined: QuarantinedRecord, receivedAt: String) throws {
        try insertQuarantined.bind(quarantined.sn, at: 1)
        try insertQuarantined.bind(receivedAt, at: 2)
        try insertQuarantined.bind(quarantined.reason, at: 3)
        try insertQuarantined.bind(quarantined.raw, at: 4)
        try insertQuarantined.bind(RecordStore.fingerprint(quarantined.raw), at: 5)
        try insertQuarantined.run()
    }

    /// A 64-bit FNV-1a hash of a quarantined entry's text, so that the same entry sent again is found
    /// without indexing the text itself (which can be megabytes).
    static func fingerprint(_ text: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    private func store(_ registration: TerminalRegistration) throws {
        try upsertTerminal.bind(registration.sn, at: 1)
        try upsertTerminal.bind(registration.devinfoJSON, at: 2)
        try upsertTerminal.bind(registration.address, at: 3)
        try upsertTerminal.bind(StoreTimestamp.format(registration.seenAt), at: 4)
        try upsertTerminal.run()
    }
}
