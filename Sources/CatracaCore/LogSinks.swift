#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Writes one line per entry to standard error: `LEVEL label: message key=value ...`.
///
/// When standard error is journald's stream (`JOURNAL_STREAM` names its device and inode, as systemd
/// sets it), the timestamp is left out and the level is given as a syslog priority prefix (`<6>`),
/// which journald reads as the entry's priority. A leftover variable with stderr redirected to a file
/// does not count: the device and inode must match.
public final class StandardErrorLogSink: LogSink, @unchecked Sendable {
    private let lock = NSLock()
    private let forJournal: Bool

    public init(forJournal: Bool = StandardErrorLogSink.standardErrorIsTheJournal()) {
        self.forJournal = forJournal
    }

    /// Whether file descriptor 2 is the stream `JOURNAL_STREAM` (`DEVICE:INODE`) names.
    public static func standardErrorIsTheJournal() -> Bool {
        guard let value = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(2, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
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
