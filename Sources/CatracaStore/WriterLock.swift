#if canImport(Glibc)
import Glibc
#endif

/// Makes sure one process at a time writes a database: an exclusive `flock` on `<database>.lock`,
/// held for as long as the writer lives.
///
/// SQLite would let two daemons write the same file, each acknowledging its own terminals; the lock
/// turns that operator mistake into an error at start. Readers (exports) do not take it.
final class WriterLock {
    private var fd: Int32

    init(databasePath: String) throws {
        let lockPath = databasePath + ".lock"
        fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError(kind: .invalidArgument("cannot create the lock file \(lockPath): "
                                 + String(cString: strerror(errno))),
                             operation: "lock the database", path: databasePath)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw StoreError(kind: .inUseByAnotherWriter, operation: "lock the database", path: databasePath)
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
