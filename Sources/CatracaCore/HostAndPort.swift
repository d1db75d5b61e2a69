/// `HOST:PORT` text split into its parts, an IPv6 host in brackets (`[::1]:7793`). Says nothing about
/// whether the host exists or is a numeric address: the caller decides what it accepts.
public struct HostAndPort: Equatable, Sendable {
    public var host: String
    public var port: UInt16

    /// Nil when there is no port, the port is not a number from 0 to 65535, or the host is empty.
    public init?(parsing text: Substring) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = UInt16(portText) else { return nil }
        self.host = String(host)
        self.port = port
    }
}
