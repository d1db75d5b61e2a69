#if canImport(Glibc)
import Glibc
#endif

/// Makes sure one process at a time writes a database: an exclusive `flock` on the database file
/// itself, held for as long as the writer lives, and a check that the file is still the one opened.
///
/// The lock is on the file, not on its name, so a second daemon reaching the same file through a
/// hard link or a symbolic link is refused too (two writers with separate logs corrupt the file).
/// flock(2) locks are separate from the POSIX locks SQLite takes on the same file, so the two do not
/// interfere. Readers (exports) do not take it.
final class WriterLock {
    private var fd: Int32
    private let path: String
    private var identity: (device: UInt64, inode: UInt64)

    init(databasePath: String) throws {
        path = databasePath
        fd = open(databasePath, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw StoreError(kind: .invalidArgument("cannot open the database file: " + String(cString: strerror(errno))
                                 + "; check that the path names a file in an existing, writable folder"),
                             operation: "lock the database", path: databasePath)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw StoreError(kind: .inUseByAnotherWriter, operation: "lock the database", path: databasePath)
        }
        var status = stat()
        fstat(fd, &status)
        identity = (UInt64(status.st_dev), UInt64(status.st_ino))
    }

    /// Throws when the database's path no longer leads to the locked file (deleted or replaced while the
    /// daemon runs): commits would land in a file nobody can open again, so they must not be acknowledged.
    func requireFileInPlace() throws {
        var status = stat()
        guard stat(path, &status) == 0, UInt64(status.st_dev) == identity.device,
              UInt64(status.st_ino) == identity.inode else {
            throw StoreError(kind: .fileGone, operation: "check the database file", path: path)
        }
    }

    /// Lets another writer open the database. Idempotent.
    func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    deinit {
        release()
    }
}
