/// The status line and header fields of a response, as a client reads them.
public struct HTTPResponseHead: Equatable, Sendable {
    public var status: Int
    public var reason: String
    public var versionMajor: Int
    public var versionMinor: Int
    public var headers: HTTPHeaders

    public init(status: Int, reason: String, versionMajor: Int = 1, versionMinor: Int = 1,
                headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.reason = reason
        self.versionMajor = versionMajor
        self.versionMinor = versionMinor
        self.headers = headers
    }
}

/// What one call to `HTTPResponseHeadParser.parse` produced.
public enum HTTPResponseHeadResult: Equatable, Sendable {
    /// Every byte given was consumed and kept; the head is not complete yet.
    case needMoreBytes
    /// The complete head; `consumed` counts the bytes of this call's input that belonged to it.
    case head(HTTPResponseHead, consumed: Int)
}

/// An incremental parser for a response head, for clients that read the body themselves
/// (a WebSocket client after `101 Switching Protocols` reads frames instead).
public struct HTTPResponseHeadParser: Sendable {
    private var reader: HTTPHeadReader

    public init(limits: HTTPParserLimits = .init()) {
        reader = HTTPHeadReader(limits: limits)
    }

    /// Bytes held for the head in progress.
    public var bufferedBytes: Int { reader.bufferedCount }

    public mutating func parse(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPResponseHeadResult {
        let (next, complete) = try reader.read(bytes)
        guard complete else { return .needMoreBytes }
        return .head(try Self.responseHead(statusLine: reader.startLine ?? "", headers: reader.headers),
                     consumed: next - bytes.startIndex)
    }

    /// Splits `HTTP/1.1 101 Switching Protocols` into version, status and reason.
    private static func responseHead(statusLine: String,
                                     headers: HTTPHeaders) throws(HTTPParseError) -> HTTPResponseHead {
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        let shown = String(statusLine.prefix(80))
        guard parts.count >= 2, let version = parseHTTPVersion(parts[0]), parts[1].utf8.count == 3,
              let status = Int(parts[1])
        else { throw .badStatusLine(shown) }
        return HTTPResponseHead(status: status, reason: parts.count == 3 ? String(parts[2]) : "",
                                versionMajor: version.major, versionMinor: version.minor, headers: headers)
    }
}
