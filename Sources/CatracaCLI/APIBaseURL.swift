import CatracaCore

/// Where the operators' HTTP API is: `http://HOST:PORT`, nothing else.
///
/// The API is plain HTTP on a loopback or LAN address; TLS is not spoken, so `https://` is refused
/// rather than sent in clear text by surprise.
public struct APIBaseURL: Equatable, Sendable, CustomStringConvertible {
    /// A host name or an IP address (IPv6 without brackets).
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `http://127.0.0.1:7793`, `http://localhost:7793/` or `http://[::1]:7793`.
    public init(parsing text: String) throws(APIClientError) {
        let invalid = APIClientError.invalidBaseURL(text)
        guard text.hasPrefix("http://") else { throw invalid }
        var rest = Substring(text.dropFirst("http://".count))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard let (host, port) = APIBaseURL.split(hostAndPort: rest) else { throw invalid }
        self.init(host: host, port: port)
    }

    /// The base URL for a listen address from the config (`127.0.0.1:7793`); a wildcard address
    /// (`0.0.0.0`, `::`) is reached through loopback.
    public init(listenAddress: String) throws(APIClientError) {
        guard let (host, port) = APIBaseURL.split(hostAndPort: Substring(listenAddress)) else {
            throw .invalidBaseURL(listenAddress)
        }
        switch host {
        case "0.0.0.0": self.init(host: "127.0.0.1", port: port)
        case "::": self.init(host: "::1", port: port)
        default: self.init(host: host, port: port)
        }
    }

    /// The value of the `Host` header.
    public var authority: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public var description: String { "http://" + authority }

    private static func split(hostAndPort text: Substring) -> (String, UInt16)? {
        guard let parts = HostAndPort(parsing: text), !parts.host.contains("/"), parts.port > 0 else { return nil }
        return (parts.host, parts.port)
    }
}
