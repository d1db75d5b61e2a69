#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Writes one line per entry to standard error: `LEVEL label: message key=value ...`.
///
/// Under systemd (when `JOURNAL_STREAM` is set) the timestamp is left out and the level is
/// given as a syslog priority prefix (`<6>`), which journald reads as the entry's priority.
public final class StandardErrorLogSink: LogSink, @unchecked Sendable {
    private let lock = NSLock()
    private let forJournal: Bool

    public init(forJournal: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil) {
        self.forJournal = forJournal
    }

    public func write(_ entry: LogEntry) {
        let line = render(entry) + "\n"
        lock.lock()
        defer { lock.unlock() }
        _ = line.utf8CString.withUnsafeBufferPointer { buffer in
            fputs(buffer.baseAddress!, stderr)
        }
    }

    func render(_ entry: LogEntry) -> String {
        let context = entry.renderedMetadata
        let body = "\(entry.label): \(entry.message)" + (context.isEmpty ? "" : " " + context)
        if forJournal {
            return "<\(StandardErrorLogSink.syslogPriority(entry.level))>\(body)"
        }
        return "\(StandardErrorLogSink.timestamp()) \(entry.level) \(body)"
    }

    static func syslogPriority(_ level: LogLevel) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        let millis = Int(now.tv_nsec / 1_000_000)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis
        )
    }
}

/// Keeps entries in memory so that tests can assert on what was logged.
public final class MemoryLogSink: LogSink, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [LogEntry] = []

    public init() {}

    public func write(_ entry: LogEntry) {
        lock.lock()
        stored.append(entry)
        lock.unlock()
    }

    public var entries: [LogEntry] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    /// The entries whose message contains `text`, at `level` if given.
    public func entries(containing text: String, level: LogLevel? = nil) -> [LogEntry] {
        entries.filter { $0.message.contains(text) && (level == nil || $0.level == level) }
    }
}
