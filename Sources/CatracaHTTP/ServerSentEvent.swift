/// One message of a `text/event-stream` (the HTML Living Standard's server-sent events): an event name,
/// its data and an optional id, framed as `field: value` lines ending in a blank line.
///
/// The framing is I/O-free so that it can be tested with byte arrays; the HTTP server only writes the bytes.
public struct ServerSentEvent: Equatable, Sendable {
    /// The `event:` field; the browser dispatches the message to listeners of this name.
    public var name: String?
    /// The `data:` payload; each line of it becomes one `data:` line, and the browser joins them with `\n`.
    public var data: String
    /// The `id:` field, which the browser sends back as `Last-Event-ID` when it reconnects.
    public var id: String?

    public init(name: String? = nil, data: String, id: String? = nil) {
        self.name = name
        self.data = data
        self.id = id
    }

    /// The message as it goes on the wire.
    ///
    /// Line breaks (CR, LF or CRLF) inside `data` split it into several `data:` lines; in `name` and `id`,
    /// where the format allows none, they become spaces, so that a value cannot add fields of its own.
    public func serialized() -> [UInt8] {
        var text = ""
        if let id { text += "id: \(Self.singleLine(id))\n" }
        if let name { text += "event: \(Self.singleLine(name))\n" }
        for line in Self.lines(of: data) { text += "data: \(line)\n" }
        text += "\n"
        return Array(text.utf8)
    }

    /// A comment line (`: text`), which the browser ignores: the stream's heartbeat, so that proxies and
    /// the browser see traffic on an otherwise quiet connection.
    public static func comment(_ text: String) -> [UInt8] {
        Array(": \(singleLine(text))\n\n".utf8)
    }

    /// The `retry:` field alone: how many milliseconds the browser waits before it reconnects.
    public static func retry(milliseconds: Int) -> [UInt8] {
        Array("retry: \(max(0, milliseconds))\n\n".utf8)
    }

    private static func lines(of text: String) -> [Substring] {
        let unified = text.replacingCRLF()
        return unified.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" })
    }

    private static func singleLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }
}

extension String {
    /// The text with every CRLF pair turned into one LF (Swift sees `\r\n` as a single Character).
    fileprivate func replacingCRLF() -> String {
        String(map { $0 == "\r\n" ? "\n" : $0 })
    }
}
