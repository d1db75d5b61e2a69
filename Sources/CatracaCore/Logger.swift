/// How much an event matters, from developers' detail to what someone must act on.
///
/// `info` is for what an operator needs to know; `debug` for the rest. `warning` and `error`
/// mean someone should look.
public enum LogLevel: Int, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    case trace = 0, debug, info, notice, warning, error, critical

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .trace: return "trace"
        case .debug: return "debug"
        case .info: return "info"
        case .notice: return "notice"
        case .warning: return "warning"
        case .error: return "error"
        case .critical: return "critical"
        }
    }

    /// Parses a level name as written in the config file or on the command line.
    public init?(name: String) {
        guard let level = LogLevel.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
        self = level
    }
}

/// Key=value context attached to a log line, e.g. `["sn": "ABCD1234", "count": "20"]`.
public typealias LogMetadata = [String: String]

/// One log event as handed to a sink.
public struct LogEntry: Sendable {
    public var level: LogLevel
    public var label: String
    public var message: String
    public var metadata: LogMetadata

    public init(level: LogLevel, label: String, message: String, metadata: LogMetadata) {
        self.level = level
        self.label = label
        self.message = message
        self.metadata = metadata
    }

    /// The metadata as `key=value` pairs sorted by key; values with spaces, quotes or `=` are quoted.
    public var renderedMetadata: String {
        metadata.keys.sorted().map { key in "\(key)=\(LogEntry.quoted(metadata[key]!))" }.joined(separator: " ")
    }

    /// `value` as it can stand in one log line: quoted when it holds spaces, quotes, `=` or control
    /// characters, which are escaped so that a value from a terminal cannot break or forge a line.
    static func quoted(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { scalar in
            scalar == " " || scalar == "\"" || scalar == "=" || scalar == "\\" || isControl(scalar)
        }
        guard needsQuotes else { return value }
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where isControl(scalar):
                escaped += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F
    }
}

/// Where log entries go. Sinks must be safe to call from any thread.
public protocol LogSink: AnyObject, Sendable {
    func write(_ entry: LogEntry)
}

/// A logger for one part of the daemon (its `label`), with context that every line carries.
///
/// Messages say what happened in words; the specifics go in metadata so that lines can be
/// searched by `sn=` or `enrollid=`.
public struct Logger: Sendable {
    public let label: String
    public var level: LogLevel
    public var metadata: LogMetadata
    public let sink: LogSink

    public init(label: String, level: LogLevel = .info, metadata: LogMetadata = [:], sink: LogSink) {
        self.label = label
        self.level = level
        self.metadata = metadata
        self.sink = sink
    }

    /// A logger for another part of the daemon that writes to the same sink at the same level.
    public func child(label: String, metadata extra: LogMetadata = [:]) -> Logger {
        Logger(label: label, level: level, metadata: metadata.merging(extra) { $1 }, sink: sink)
    }

    public func isEnabled(_ level: LogLevel) -> Bool { level >= self.level }

    public func log(_ level: LogLevel, _ message: @autoclosure () -> String, _ extra: LogMetadata = [:]) {
        guard isEnabled(level) else { return }
        let merged = extra.isEmpty ? metadata : metadata.merging(extra) { $1 }
        sink.write(LogEntry(level: level, label: label, message: message(), metadata: merged))
    }

    public func trace(_ message: @autoclosure () -> String, _ extra: LogMetadata = [:]) {
        log(.trace, message(), extra)
    }
    public func debug(_ message: @autoclosure () -> String, _ extra: LogMetadata = [:]) {
        log(.debug, message(), extra)
    }
    public func info(_ message: @autoclosure () -> String, _ extra: LogMetadata = [:]) {
        log(.info, message(), extra)
    }
    public func notice(_ message: @autoclosure () -> String, _ extra: LogMetadata = [:]) {
        log(.notice, message(), extra)
    }
    public func warning(_ message: @autoclosure () -> String, _ extra: LogMetadata = [:]) {
        log(.warning, message(), extra)
    }
    public func error(_ message: @autoclosure () -> String, _ extra: LogMetadata = [:]) {
        log(.error, message(), extra)
    }
}
