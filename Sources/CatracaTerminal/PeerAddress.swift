/// The host part of a peer address, so that terminals are compared by IP and not by source port.
enum PeerAddress {
    /// `10.0.0.5` for `10.0.0.5:41000`, `fe80::1` for `[fe80::1]:41000` or `fe80::1`.
    ///
    /// An IPv4-mapped IPv6 address (`::ffff:10.0.0.5`) gives its IPv4 form, since a dual-stack
    /// listener reports IPv4 peers that way.
    static func host(of address: String) -> String {
        var host = address.trimmingASCIIBlanks()
        if host.hasPrefix("[") {
            if let closing = host.firstIndex(of: "]") {
                host = String(host[host.index(after: host.startIndex)..<closing])
            }
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            host = String(host[..<colon])
        }

        let lowered = host.lowercased()
        if lowered.hasPrefix("::ffff:") && lowered.contains(".") {
            return String(lowered.dropFirst("::ffff:".count))
        }
        return lowered
    }

    static func sameHost(_ first: String, _ second: String) -> Bool {
        host(of: first) == host(of: second)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    func trimmingASCIIBlanks() -> String {
        let blanks: Set<Character> = [" ", "\t", "\n", "\r"]
        guard let first = firstIndex(where: { !blanks.contains($0) }),
              let last = lastIndex(where: { !blanks.contains($0) }) else { return "" }
        return String(self[first...last])
    }
}
