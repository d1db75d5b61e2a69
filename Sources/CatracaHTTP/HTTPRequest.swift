/// The request line and header fields of an HTTP/1.x request.
public struct HTTPRequestHead: Equatable, Sendable {
    public var method: String
    /// The request target as sent, e.g. `/terminals?site=1`.
    public var target: String
    public var versionMajor: Int
    public var versionMinor: Int
    public var headers: HTTPHeaders

    public init(method: String, target: String, versionMajor: Int = 1, versionMinor: Int = 1,
                headers: HTTPHeaders = HTTPHeaders()) {
        self.method = method
        self.target = target
        self.versionMajor = versionMajor
        self.versionMinor = versionMinor
        self.headers = headers
    }

    /// The target without its query, e.g. `/terminals`. Not percent-decoded: compare it as sent.
    public var path: String {
        guard let mark = target.firstIndex(of: "?") else { return target }
        return String(target[..<mark])
    }

    /// The part of the target after `?`, or nil when there is none.
    public var query: String? {
        guard let mark = target.firstIndex(of: "?") else { return nil }
        return String(target[target.index(after: mark)...])
    }

    /// Whether the version is at least `major.minor`.
    public func isVersion(atLeast major: Int, _ minor: Int) -> Bool {
        (versionMajor, versionMinor) >= (major, minor)
    }
}

/// A complete HTTP request: its head and its body with any chunked framing removed.
public struct HTTPRequest: Equatable, Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]

    public init(head: HTTPRequestHead, body: [UInt8] = []) {
        self.head = head
        self.body = body
    }
}
