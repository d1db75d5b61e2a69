import CatracaCore
#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address and port, as written in the config: `127.0.0.1:7792`, `[::1]:7792`, `0.0.0.0:7792`.
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; an IPv6 host goes in brackets. Returns nil when either part is malformed.
    public init?(parsing text: String) {
        guard let parts = HostAndPort(parsing: Substring(text)) else { return nil }
        self.init(host: parts.host, port: parts.port)
        guard isIPv6 || isIPv4 else { return nil }
    }

    public var isIPv6: Bool { host.contains(":") }

    var isIPv4: Bool {
        var address = in_addr()
        return inet_pton(AF_INET, host, &address) == 1
    }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Calls `body` with this address as a `sockaddr` for bind or connect.
    func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result) throws -> Result {
        if isIPv6 {
            var storage = sockaddr_in6()
            storage.sin6_family = sa_family_t(AF_INET6)
            storage.sin6_port = port.bigEndian
            try parseHost(family: AF_INET6, into: &storage.sin6_addr)
            return try SocketAddress.asSockaddr(&storage, body)
        }
        var storage = sockaddr_in()
        storage.sin_family = sa_family_t(AF_INET)
        storage.sin_port = port.bigEndian
        try parseHost(family: AF_INET, into: &storage.sin_addr)
        return try SocketAddress.asSockaddr(&storage, body)
    }

    private func parseHost<Address>(family: Int32, into address: inout Address) throws {
        guard inet_pton(family, host, &address) == 1 else {
            throw SystemError(call: "inet_pton", errno: EINVAL, subject: host)
        }
    }

    /// `storage` (a `sockaddr_in` or `sockaddr_in6`) seen as the generic `sockaddr` the socket calls take.
    private static func asSockaddr<Storage, Result>(
        _ storage: inout Storage, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result
    ) throws -> Result {
        try withUnsafePointer(to: &storage) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                try body($0, socklen_t(MemoryLayout<Storage>.size))
            }
        }
    }

    /// Reads an address that `accept` or `getsockname` filled in.
    init?(storage: UnsafePointer<sockaddr_storage>) {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.pointee.ss_family) {
        case AF_INET:
            let value = UnsafeRawPointer(storage).load(as: sockaddr_in.self)
            var address = value.sin_addr
            inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
            self.init(host: String(cString: text), port: UInt16(bigEndian: value.sin_port))
        case AF_INET6:
            let value = UnsafeRawPointer(storage).load(as: sockaddr_in6.self)
            var address = value.sin6_addr
            inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
            self.init(host: String(cString: text), port: UInt16(bigEndian: value.sin6_port))
        default:
            return nil
        }
    }
}
