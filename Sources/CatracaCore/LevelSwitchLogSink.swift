import Foundation

/// Passes on entries at or above a level that can be changed while the daemon runs (on SIGHUP).
///
/// Loggers are values copied into every part of the daemon, each with the level it was made with; to
/// change the level live they are all made at `.trace` and this sink decides. The cost: a line below the
/// level is still built (its message and metadata) before it is dropped here.
public final class LevelSwitchLogSink: LogSink, @unchecked Sendable {
    private let next: LogSink
    private let lock = NSLock()
    private var current: LogLevel

    public init(level: LogLevel, next: LogSink) {
        self.current = level
        self.next = next
    }

    /// The lowest level written.
    public var level: LogLevel {
        get {
            lock.lock()
            defer { lock.unlock() }
            return current
        }
        set {
            lock.lock()
            current = newValue
            lock.unlock()
        }
    }

    public func write(_ entry: LogEntry) {
        guard entry.level >= level else { return }
        next.write(entry)
    }
}
