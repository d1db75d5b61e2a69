/// The `upstream.http.url`: `http://HOST[:PORT][/PATH]`.
///
/// Only `http` is spoken: the toolchain has no TLS library of its own, and this build links none (see
/// docs/upstream/http.md for how to reach an `https` endpoint).
public struct HTTPUpstreamURL: Equatable, Sendable {
    public var host: String
    public var port: Int
    /// The request target, starting with `/`, with its query if any.
    public var path: String

    /// The `Host` header: the host, with the port when it is not 80.
    public var authority: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? shownHost : "\(shownHost):\(port)"
    }

    /// Nil, with `problem` saying why, for anything but a well-formed `http://` URL.
    public init(parsing text: String) throws(HTTPUpstreamURLError) {
        let lowered = text.lowercased()
        if lowered.hasPrefix("https://") {
            throw HTTPUpstreamURLError("https is not supported by this build; use http:// to a TLS-terminating "
                                       + "proxy on this box (see docs/upstream/http.md)")
        }
        guard lowered.hasPrefix("http://") else { throw HTTPUpstreamURLError("must start with http://") }
        let rest = text.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var target = String(rest[authorityEnd...])
        if target.isEmpty { target = "/" } else if target.hasPrefix("?") { target = "/" + target }
        guard !authority.isEmpty, !authority.contains("@") else {
            throw HTTPUpstreamURLError("needs a host, and no user:password@ (the token goes in upstream.http.token)")
        }

        var host = String(authority)
        var port = 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw HTTPUpstreamURLError("unclosed [ in host") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let given = Int(after.dropFirst()) else {
                    throw HTTPUpstreamURLError("bad port")
                }
                port = given
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let given = Int(authority[authority.index(after: colon)...]) else {
                throw HTTPUpstreamURLError("bad port")
            }
            port = given
        }
        guard (1...65_535).contains(port), !host.isEmpty else { throw HTTPUpstreamURLError("bad host or port") }
        guard !target.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" || $0 == "#" }) else {
            throw HTTPUpstreamURLError("the path may not hold spaces, line breaks or a #fragment")
        }
        self.host = host
        self.port = port
        self.path = target
    }
}

/// Why an upstream URL was refused.
public struct HTTPUpstreamURLError: Error, CustomStringConvertible, Equatable {
    public var description: String
    init(_ description: String) { self.description = description }
}
