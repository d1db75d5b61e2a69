import CSQLite
import CatracaCore

/// One SQLite connection. Not thread-safe: a connection belongs to the thread that uses it.
///
/// A thin layer over the C API that turns result codes into `StoreError`s carrying the database path
/// and the operation, and that hands out reusable prepared `Statement`s.
public final class Database {
    /// How to open the file.
    public enum Mode: Sendable {
        /// Read and write; the file is created when it does not exist (its directory must).
        case readWrite
        /// Read only; the file must exist. Used by the operator CLI while the daemon writes.
        case readOnly
    }

    /// The database file as given to `init`.
    public let path: String
    let handle: OpaquePointer
    private var isOpen = true

    /// Opens the database at `path`.
    ///
    /// - Parameter busyTimeout: how long a call waits for another connection's lock before it fails with
    ///   `SQLITE_BUSY` (https://sqlite.org/c3ref/busy_timeout.html).
    public init(path: String, mode: Mode = .readWrite, busyTimeout: TimeSpan = .milliseconds(5_000)) throws {
        self.path = path
        var opened: OpaquePointer?
        let flags: Int32 = mode == .readWrite
            ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
            : SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &opened, flags, nil)

        // sqlite3_open_v2 hands back a handle even on failure (to read the message); it must still be closed.
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            let extended = opened.map { sqlite3_extended_errcode($0) } ?? code
            sqlite3_close_v2(opened)
            throw StoreError(kind: .sqlite, resultCode: code & 0xff, extendedResultCode: extended,
                             operation: "open the database", path: path, sqliteMessage: message)
        }
        self.handle = opened
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Int32(clamping: busyTimeout.nanoseconds / 1_000_000))
    }

    deinit {
        close()
    }

    /// Closes the connection. Statements still alive are finalized when they are released
    /// (`sqlite3_close_v2` defers the close until then).
    public func close() {
        guard isOpen else { return }
        isOpen = false
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that bind no values, e.g. schema changes and pragmas.
    ///
    /// - Parameter operation: what this does, in words, for the error description.
    public func execute(_ sql: String, operation: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        sqlite3_free(message)
        try check(code, operation: operation)
    }

    /// Compiles `sql` once, to be bound and stepped many times.
    public func prepare(_ sql: String, operation: String) throws -> Statement {
        var compiled: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &compiled, nil)
        try check(code, operation: operation)
        guard let compiled else {
            throw StoreError(kind: .invalidArgument("the SQL text holds no statement"), operation: operation,
                             path: path)
        }
        return Statement(database: self, handle: compiled, operation: operation)
    }

    /// Runs `body` in a transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so that a busy
    /// database fails before any work is done rather than at the first write. Rolls back if `body` throws.
    public func transaction<T>(operation: String, _ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE", operation: "begin a transaction to \(operation)")
        do {
            let result = try body()
            try execute("COMMIT", operation: "commit a transaction to \(operation)")
            return result
        } catch {
            rollbackIfOpen()
            throw error
        }
    }

    /// Rolls back the open transaction, if any. A failed COMMIT may already have rolled it back.
    func rollbackIfOpen() {
        guard sqlite3_get_autocommit(handle) == 0 else { return }
        sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE on this connection.
    public var changes: Int {
        Int(sqlite3_changes(handle))
    }

    /// The rowid of the last successful INSERT on this connection.
    public var lastInsertRowID: Int64 {
        sqlite3_last_insert_rowid(handle)
    }

    /// Throws a `StoreError` for `code` unless it reports success.
    func check(_ code: Int32, operation: String) throws {
        guard code != SQLITE_OK && code != SQLITE_ROW && code != SQLITE_DONE else { return }
        throw error(code, operation: operation)
    }

    /// The `StoreError` for a failed call, with SQLite's current message for this connection.
    func error(_ code: Int32, operation: String) -> StoreError {
        StoreError(kind: .sqlite, resultCode: code & 0xff, extendedResultCode: sqlite3_extended_errcode(handle),
                   operation: operation, path: path, sqliteMessage: String(cString: sqlite3_errmsg(handle)))
    }
}
