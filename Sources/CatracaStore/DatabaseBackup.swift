#if canImport(Glibc)
import Glibc
#endif
import CSQLite
import CatracaCore
import Foundation

/// A consistent copy of a live database with SQLite's online backup API (https://sqlite.org/backup.html).
///
/// The copy is taken from one read snapshot: a read transaction is held on the source for the whole copy,
/// so pages are copied in small steps without the backup restarting each time the daemon commits. In WAL
/// mode a reader does not block the writer; the WAL just cannot be checkpointed past the snapshot until
/// the copy ends, so it grows by what is committed meanwhile. The copy is written under a temporary name,
/// checked with `PRAGMA integrity_check`, synced, and only then renamed to its final name: a failed or
/// interrupted backup never leaves a file that looks like a good copy.
public struct DatabaseBackup {
    /// What a finished backup did.
    public struct Report: Equatable, Sendable {
        public var pages: Int
        public var steps: Int
        public var bytes: Int
    }

    public let sourcePath: String
    public let copyPath: String
    /// Pages copied per step. The writer is not blocked by the copy in WAL mode; the steps and pauses
    /// spread the copy's I/O so that it does not delay the writer's syncs on slow storage (an SD card).
    public var pagesPerStep: Int32 = 256
    /// Rest between steps.
    public var pause: TimeSpan = .milliseconds(2)

    public init(sourcePath: String, copyPath: String) {
        self.sourcePath = sourcePath
        self.copyPath = copyPath
    }

    /// Copies, verifies and renames into place. Throws without touching `copyPath` when any step fails.
    public func run() throws -> Report {
        guard FileManager.default.fileExists(atPath: sourcePath) else {
            throw StoreError(kind: .invalidArgument("\(sourcePath) does not exist; give the database with --db"),
                             operation: "back up", path: sourcePath)
        }
        if let clash = clashWithSource() {
            throw StoreError(kind: .invalidArgument("the copy would replace \(clash); choose another --to"),
                             operation: "back up", path: copyPath)
        }
        if let problem = copyPathInUse() {
            throw StoreError(kind: .invalidArgument(problem), operation: "back up", path: copyPath)
        }
        let temporaryPath = copyPath + ".partial-\(getpid())"
        removeFiles(of: temporaryPath)
        do {
            let report = try copy(to: temporaryPath)
            try verify(temporaryPath)
            try syncFile(temporaryPath)
            try rename(temporaryPath)
            return report
        } catch {
            removeFiles(of: temporaryPath)
            throw error
        }
    }

    /// Which of the source's files `copyPath` names (through any path, link or hard link), if any: renaming
    /// the copy over the live database (or its -wal or -shm) would cut it from the daemon writing it.
    private func clashWithSource() -> String? {
        var copy = stat()
        guard stat(copyPath, &copy) == 0 else { return nil }
        for suffix in ["", "-wal", "-shm"] {
            var file = stat()
            if stat(sourcePath + suffix, &file) == 0, file.st_dev == copy.st_dev, file.st_ino == copy.st_ino {
                return "the database being copied (\(sourcePath + suffix))"
            }
        }
        return nil
    }

    /// Why `copyPath` must not be replaced, if it is a database something still uses: a daemon holds its writer
    /// lock, or a write-ahead log lies beside it (SQLite would apply that log to the copy at its next open and
    /// corrupt it). Restoring a backup over a live database is done with the daemon stopped.
    private func copyPathInUse() -> String? {
        let descriptor = open(copyPath, O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 {
            defer { close(descriptor) }
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0, errno == EWOULDBLOCK {
                return "\(copyPath) is the database of a running daemon; stop it before restoring over it, "
                    + "or choose another --to"
            }
            flock(descriptor, LOCK_UN)
        }
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: copyPath + suffix) {
            return "\(copyPath + suffix) lies beside \(copyPath): it is a database in use or not closed cleanly; "
                + "stop what uses it (or open it once with catraca and stop it) before replacing it"
        }
        return nil
    }

    private func copy(to temporaryPath: String) throws -> Report {
        let source = try Database(path: sourcePath, mode: .readOnly)
        defer { source.close() }
        // The read snapshot every step copies from; ended by the close.
        try source.execute("BEGIN; SELECT count(*) FROM sqlite_schema;", operation: "open a read snapshot")

        let destination = try Database(path: temporaryPath)
        defer { destination.close() }
        guard let backup = sqlite3_backup_init(destination.handle, "main", source.handle, "main") else {
            throw destination.error(sqlite3_errcode(destination.handle), operation: "start the backup")
        }

        var steps = 0
        var code = SQLITE_OK
        while code == SQLITE_OK || code == SQLITE_BUSY || code == SQLITE_LOCKED {
            code = sqlite3_backup_step(backup, pagesPerStep)
            steps += 1
            if code != SQLITE_DONE { usleep(UInt32(clamping: pause.nanoseconds / 1_000)) }
        }
        let pages = Int(sqlite3_backup_pagecount(backup))
        let finished = sqlite3_backup_finish(backup)
        guard code == SQLITE_DONE else { throw destination.error(code, operation: "copy pages") }
        try destination.check(finished, operation: "finish the backup")

        // A single file is the easier copy to move around: no -wal beside it.
        try destination.execute("PRAGMA journal_mode=DELETE;", operation: "make the copy a single file")
        let pageSize = try DatabaseBackup.integer(destination, "PRAGMA page_size;")
        return Report(pages: pages, steps: steps, bytes: pages * pageSize)
    }

    private func verify(_ temporaryPath: String) throws {
        let copy = try Database(path: temporaryPath, mode: .readOnly)
        defer { copy.close() }
        let statement = try copy.prepare("PRAGMA integrity_check;", operation: "check the copy")
        var problems: [String] = []
        while try statement.step() {
            problems.append(statement.text(0))
        }
        guard problems == ["ok"] else {
            throw StoreError(kind: .invalidArgument("the copy failed its integrity check: "
                                                    + problems.prefix(5).joined(separator: "; ")),
                             operation: "check the copy", path: temporaryPath)
        }
    }

    private func syncFile(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        defer { if descriptor >= 0 { close(descriptor) } }
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            throw StoreError(kind: .invalidArgument("cannot sync the copy: \(reason)"), operation: "sync the copy",
                             path: path)
        }
    }

    private func rename(_ temporaryPath: String) throws {
        guard Glibc.rename(temporaryPath, copyPath) == 0 else {
            let reason = String(cString: strerror(errno))
            throw StoreError(kind: .invalidArgument("cannot rename the copy into place: \(reason)"),
                             operation: "rename the copy", path: copyPath)
        }
        // The rename itself is durable once the folder is synced.
        let folder = (copyPath as NSString).deletingLastPathComponent
        let descriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }

    private func removeFiles(of path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            unlink(path + suffix)
        }
    }

    private static func integer(_ database: Database, _ sql: String) throws -> Int {
        let statement = try database.prepare(sql, operation: sql)
        _ = try statement.step()
        return statement.int(0)
    }
}
