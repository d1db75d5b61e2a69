import CSQLite

/// A store operation that failed: what was being done, on which database, and what SQLite said.
///
/// The description is written for an operator: it names the failure and what to do about it. It never
/// contains bound values, so names and photos of people stay out of logs.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// Why the operation failed.
    public enum Kind: Equatable, Sendable {
        /// SQLite returned an error; `resultCode` and `extendedResultCode` say which.
        case sqlite
        /// The database was written by a newer Catraca whose schema this build does not know.
        case schemaTooNew(found: Int, supported: Int)
        /// The database has not been migrated to this build's schema yet (read-only opens cannot migrate).
        case schemaOutdated(found: Int, supported: Int)
        /// An argument was not understood, e.g. a malformed `since` time.
        case invalidArgument(String)
        /// The writer was stopped before the work could be committed.
        case writerStopped
        /// The file is an SQLite database of something else: it has tables but no Catraca schema.
        case notACatracaDatabase
        /// Another process (a second daemon) already writes this database.
        case inUseByAnotherWriter
        /// The database file was deleted or replaced while the daemon had it open.
        case fileGone
    }

    public var kind: Kind
    /// SQLite's primary result code (`SQLITE_FULL` …), or `SQLITE_ERROR` for kinds other than `.sqlite`.
    public var resultCode: Int32
    /// SQLite's extended result code (`SQLITE_IOERR_FSYNC` …); equal to `resultCode` when there is none.
    public var extendedResultCode: Int32
    /// What the store was doing, e.g. `insert a record` or `open the database`.
    public var operation: String
    /// The database file.
    public var path: String
    /// `sqlite3_errmsg` at the time of the failure; it names tables and columns, never bound values.
    public var sqliteMessage: String

    public init(kind: Kind, resultCode: Int32 = SQLITE_ERROR, extendedResultCode: Int32? = nil, operation: String,
                path: String, sqliteMessage: String = "") {
        self.kind = kind
        self.resultCode = resultCode
        self.extendedResultCode = extendedResultCode ?? resultCode
        self.operation = operation
        self.path = path
        self.sqliteMessage = sqliteMessage
    }

    public var description: String {
        var text = "could not \(operation) in \(path): \(explanation)"
        if kind == .sqlite {
            text += " (SQLite: \(sqliteMessage); code \(resultCode), extended \(extendedResultCode))"
        }
        return text
    }

    /// What went wrong and what the operator can do, in words.
    var explanation: String {
        switch kind {
        case .schemaTooNew(let found, let supported):
            return "the database has schema version \(found) but this build knows versions up to \(supported); "
                + "run a newer Catraca or restore a backup made by this version"
        case .schemaOutdated(let found, let supported) where found == 0:
            return "the file is not a Catraca database (it has no Catraca schema; this build needs version "
                + "\(supported)); check the path"
        case .schemaOutdated(let found, let supported):
            return "the database has schema version \(found) and this build needs \(supported); "
                + "start the daemon once so that it migrates the database"
        case .invalidArgument(let detail):
            return detail
        case .writerStopped:
            return "the store writer has stopped; nothing was committed"
        case .notACatracaDatabase:
            return "the file holds another application's tables, not a Catraca database; "
                + "choose a new file with --db (or store.path)"
        case .fileGone:
            return "the database file was deleted or replaced while the daemon had it open; nothing more is "
                + "acknowledged; restore the file or restart the daemon"
        case .inUseByAnotherWriter:
            return "another Catraca daemon is writing this database; stop it first, or give this one its own --db"
        case .sqlite:
            return sqliteExplanation
        }
    }

    private var sqliteExplanation: String {
        switch resultCode {
        case SQLITE_FULL:
            return "the disk is full: free space on \(directory)"
        case SQLITE_READONLY:
            return "the database is read-only: check the permissions of \(path) and \(directory), "
                + "and that the file system is mounted read-write"
        case SQLITE_BUSY, SQLITE_LOCKED:
            return "another process holds the database: stop the other Catraca or tool using \(path) and retry"
        case SQLITE_CANTOPEN:
            return "the database file cannot be opened: check that \(directory) exists and is writable"
        case SQLITE_PERM, SQLITE_AUTH:
            return "permission denied: check the owner and mode of \(path)"
        case SQLITE_IOERR:
            return "the disk reported an I/O error: check the storage device (kernel log) "
                + "and free space on \(directory)"
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return "the file is damaged or not a Catraca database: move it aside and restore a backup"
        case SQLITE_NOMEM:
            return "SQLite ran out of memory: check the daemon's memory limit"
        case SQLITE_TOOBIG:
            return "a value is larger than SQLite accepts: check the photo size limit of the terminal"
        default:
            return "SQLite reported an error"
        }
    }

    /// The directory holding the database, where free space and permissions matter.
    private var directory: String {
        guard let slash = path.lastIndex(of: "/") else { return "the current directory" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
