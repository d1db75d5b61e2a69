/// Collects bytes up to a line feed across calls, so a head that arrives one byte at a time is scanned once.
struct HTTPLineReader: Sendable {
    private var pending: [UInt8] = []

    /// Bytes held for a line not yet finished.
    var bufferedCount: Int { pending.count }

    /// Reads from `bytes` up to and including the next line feed.
    ///
    /// Returns the index just past what was consumed and, when a line ended, its bytes without CR LF.
    /// `limit` bounds the line's length including its ending; `overflow` is thrown when it is exceeded.
    mutating func read(
        _ bytes: ArraySlice<UInt8>, limit: Int, overflow: HTTPParseError
    ) throws(HTTPParseError) -> (next: Int, line: [UInt8]?) {
        let newline = bytes.firstIndex(of: UInt8(ascii: "\n"))
        let end = newline.map { $0 + 1 } ?? bytes.endIndex
        guard pending.count + (end - bytes.startIndex) <= limit else { throw overflow }

        pending.append(contentsOf: bytes[bytes.startIndex..<end])
        guard newline != nil else { return (end, nil) }

        var line = pending
        pending = []
        line.removeLast()
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        guard !line.contains(UInt8(ascii: "\r")) else { throw .bareCarriageReturn }
        return (end, line)
    }
}
