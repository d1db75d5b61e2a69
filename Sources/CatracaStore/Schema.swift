import CSQLite

/// The store's tables, versioned with `PRAGMA user_version` and brought forward by migrations at open.
///
/// Migration `n` (counting from 1) takes a database from version `n - 1` to `n`. Migrations are only ever
/// appended: a released one never changes, because databases in the field have already run it.
///
/// The outbox (version 3) keeps delivery state per transport, so that HTTP and MQTT each deliver every entry:
/// - `outbox_transport.delivered_through`: every entry up to this id was delivered or parked by that transport;
///   `sending_first`/`sending_last` is the batch handed to it and not yet confirmed, sent again after a restart
///   with the same idempotency key;
/// - `outbox_delivery`: one row per delivered batch, with when (pruning counts from it);
/// - `outbox_parked`: batches a transport refused for good, with its answer, until an operator retries them.
///
/// Times are text so that the file reads well in `sqlite3` and compares in order:
/// - `records.time` is the terminal's own wall clock, `YYYY-MM-DD HH:MM:SS`, as it sent it;
/// - `received_at`, `stored_at`, `first_seen`, `last_seen` are UTC ISO-8601 with milliseconds,
///   `2023-12-23T16:49:30.123Z` (see `StoreTimestamp`).
enum Schema {
    static let migrations: [String] = [
        // 1: records, photos, quarantine, terminals.
        """
        CREATE TABLE records (
            id INTEGER PRIMARY KEY,
            sn TEXT NOT NULL,
            enrollid INTEGER NOT NULL,
            time TEXT NOT NULL,
            mode INTEGER NOT NULL,
            inout INTEGER NOT NULL,
            event INTEGER NOT NULL,
            verifymode INTEGER,
            temperature REAL,
            name TEXT,
            extra_json TEXT,
            received_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX records_identity ON records (sn, enrollid, time, mode, inout, event);
        CREATE INDEX records_time ON records (time);

        CREATE TABLE photos (
            record_id INTEGER PRIMARY KEY REFERENCES records (id),
            media_type TEXT NOT NULL,
            bytes BLOB NOT NULL,
            stored_at TEXT NOT NULL
        );
        CREATE INDEX photos_stored_at ON photos (stored_at);

        CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY,
            sn TEXT,
            received_at TEXT NOT NULL,
            reason TEXT NOT NULL,
            raw TEXT NOT NULL
        );

        CREATE TABLE terminals (
            sn TEXT PRIMARY KEY,
            devinfo_json TEXT,
            address TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        """,
        // 2: a quarantined entry that a terminal sends again (its acknowledgement was lost) is kept once.
        // Rows from version 1 have no hash and stay as they are.
        """
        ALTER TABLE quarantine ADD COLUMN raw_hash INTEGER;
        CREATE UNIQUE INDEX quarantine_identity ON quarantine (sn, reason, raw_hash);
        """,
        // 3: the outbox (docs/upstream/payloads.md). AUTOINCREMENT keeps ids rising even after the newest
        // entries were pruned, so an id never names two entries for upstream. Records stored before this
        // version are not copied into it.
        """
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            sn TEXT,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL
        );

        CREATE TABLE outbox_transport (
            name TEXT PRIMARY KEY,
            delivered_through INTEGER NOT NULL DEFAULT 0,
            sending_first INTEGER,
            sending_last INTEGER
        );

        CREATE TABLE outbox_delivery (
            transport TEXT NOT NULL,
            first_id INTEGER NOT NULL,
            last_id INTEGER NOT NULL,
            entries INTEGER NOT NULL,
            delivered_at TEXT NOT NULL,
            PRIMARY KEY (transport, first_id)
        );
        CREATE INDEX outbox_delivery_time ON outbox_delivery (delivered_at);

        CREATE TABLE outbox_parked (
            transport TEXT NOT NULL,
            first_id INTEGER NOT NULL,
            last_id INTEGER NOT NULL,
            entries INTEGER NOT NULL,
            reason TEXT NOT NULL,
            parked_at TEXT NOT NULL,
            requeued INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (transport, first_id)
        );
        """,
        // 4: turnstiles. Grants (records that let someone pass) and rotations (turns the board reported) are
        // kept as they arrive, and point at the passage they ended in once it is closed, so that a restart
        // rebuilds what was still open. `passage_id` 0 marks an input that ended in no passage (a bounce).
        """
        CREATE TABLE rotations (
            id INTEGER PRIMARY KEY,
            turnstile TEXT NOT NULL,
            direction TEXT NOT NULL,
            fell_at TEXT NOT NULL,
            width_ms REAL NOT NULL,
            passage_id INTEGER
        );
        CREATE INDEX rotations_open ON rotations (id) WHERE passage_id IS NULL;

        CREATE TABLE grants (
            record_id INTEGER PRIMARY KEY REFERENCES records (id),
            turnstile TEXT NOT NULL,
            received_at TEXT NOT NULL,
            passage_id INTEGER
        );
        CREATE INDEX grants_open ON grants (record_id) WHERE passage_id IS NULL;

        CREATE TABLE passages (
            id INTEGER PRIMARY KEY,
            turnstile TEXT NOT NULL,
            outcome TEXT NOT NULL,
            direction TEXT,
            side TEXT,
            turned_against_grant INTEGER NOT NULL,
            grant_kind TEXT,
            sn TEXT,
            enrollid INTEGER,
            record_id INTEGER,
            rotation_id INTEGER,
            fell_at TEXT,
            closed_at TEXT NOT NULL
        );
        CREATE INDEX passages_closed_at ON passages (closed_at);
        """,
        // 5: intercom calls (terminal to phones) and monitoring sessions, one row per finished call. `rang` is a
        // JSON array of the phone numbers rung.
        """
        CREATE TABLE calls (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            sn TEXT NOT NULL,
            session_id TEXT NOT NULL,
            input_mode INTEGER,
            input_number TEXT,
            rang TEXT NOT NULL,
            answered_by TEXT,
            started_at TEXT NOT NULL,
            answered_at TEXT,
            ended_at TEXT NOT NULL,
            duration_seconds REAL NOT NULL,
            talk_seconds REAL,
            ending TEXT NOT NULL
        );
        CREATE INDEX calls_sn ON calls (sn, id);
        """,
    ]

    /// The version this build writes and reads.
    static var currentVersion: Int { migrations.count }

    /// The database's schema version.
    static func version(of database: Database) throws -> Int {
        let statement = try database.prepare("PRAGMA user_version", operation: "read the schema version")
        guard try statement.step() else { return 0 }
        let version = statement.int(0)
        statement.reset()
        return version
    }

    /// Whether a database without a schema version already holds tables, i.e. belongs to something else.
    private static func hasTables(_ database: Database) throws -> Bool {
        let statement = try database.prepare("SELECT count(*) FROM sqlite_master", operation: "list the tables")
        defer { statement.reset() }
        return try statement.step() && statement.int(0) > 0
    }

    /// Applies every migration the database lacks, each in its own transaction.
    ///
    /// The version is read again inside each transaction: another process may have migrated meanwhile.
    static func migrate(_ database: Database) throws {
        let start = try version(of: database)
        try refuseNewerVersion(start, path: database.path)
        guard start < currentVersion else { return }
        if start == 0, try hasTables(database) {
            throw StoreError(kind: .notACatracaDatabase, operation: "check the schema version", path: database.path)
        }

        for target in (start + 1)...currentVersion {
            try database.transaction(operation: "migrate the schema to version \(target)") {
                let found = try version(of: database)
                try refuseNewerVersion(found, path: database.path)
                guard found < target else { return }
                try database.execute(migrations[target - 1], operation: "migrate the schema to version \(target)")
                try database.execute("PRAGMA user_version = \(target)", operation: "record schema version \(target)")
            }
        }
    }

    /// Puts back the unique index that makes a resent record a duplicate, should someone have dropped it
    /// (by hand, with a database tool): without it every resend would be stored again. Fails, naming the
    /// problem, when duplicates already crept in.
    static func requireRecordIdentityIndex(_ database: Database) throws {
        try database.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS records_identity ON records (sn, enrollid, time, mode, inout, event)",
            operation: "check the index that keeps each record once")
    }

    /// Checks, without changing anything, that a read-only connection sees exactly this build's schema.
    static func requireCurrentVersion(_ database: Database) throws {
        let found = try version(of: database)
        try refuseNewerVersion(found, path: database.path)
        guard found == currentVersion else {
            throw StoreError(kind: .schemaOutdated(found: found, supported: currentVersion),
                             operation: "check the schema version", path: database.path)
        }
    }

    private static func refuseNewerVersion(_ found: Int, path: String) throws {
        guard found <= currentVersion else {
            throw StoreError(kind: .schemaTooNew(found: found, supported: currentVersion),
                             operation: "check the schema version", path: path)
        }
    }
}
