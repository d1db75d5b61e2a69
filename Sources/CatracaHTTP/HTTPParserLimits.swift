/// Bounds on what the request parser accepts, so a client cannot make it hold unbounded memory.
public struct HTTPParserLimits: Sendable, Equatable {
    /// The most bytes the request line and header fields may take together, line endings included.
    public var maxHeadBytes: Int
    /// The most header fields one request may carry.
    public var maxHeaderCount: Int
    /// The most body bytes one request may carry, after chunked framing is removed.
    public var maxBodyBytes: Int

    public init(maxHeadBytes: Int = 16 * 1024, maxHeaderCount: Int = 100, maxBodyBytes: Int = 1024 * 1024) {
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }
}
