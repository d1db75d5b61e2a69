import CSQLite

/// Takes checkpoints of the write-ahead log out of the commits that acknowledgements wait for.
///
/// By default SQLite checkpoints inside the commit that grows the log past 1000 pages, so the
/// terminals acknowledged by that commit also wait for the main file to be written and synced.
/// Registering a WAL hook turns that off (https://sqlite.org/c3ref/wal_hook.html); the hook only
/// counts the log's pages, and the writer checkpoints between groups, after the completions ran.
/// On the same connection and with no other writer, the checkpoint copies the whole log, so the next
/// commit starts the log from its beginning and it stays small.
final class WALCheckpoints {
    /// Pages in the log after the last commit, as the hook last reported.
    private(set) var pagesInLog: Int32 = 0

    /// The log size, in pages, past which the writer checkpoints (SQLite's own default).
    static let threshold: Int32 = 1000

    /// Starts counting on `database`'s connection. The database must keep this object alive.
    func install(on database: Database) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_wal_hook(database.handle, { context, _, _, pages in
            guard let context else { return SQLITE_OK }
            Unmanaged<WALCheckpoints>.fromOpaque(context).takeUnretainedValue().pagesInLog = pages
            return SQLITE_OK
        }, context)
    }

    var isDue: Bool { pagesInLog >= WALCheckpoints.threshold }

    /// Copies the log into the main file without waiting on readers (`PASSIVE`).
    func checkpoint(_ database: Database) throws {
        try database.execute("PRAGMA wal_checkpoint(PASSIVE)", operation: "checkpoint the write-ahead log")
        pagesInLog = 0
    }
}
