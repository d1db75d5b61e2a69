/// A terminal the site accepts, optionally only from one address.
public struct AllowedTerminal: Equatable, Sendable {
    /// The IP the terminal must connect from (a port, if given, is ignored); nil for any address.
    public var pinnedAddress: String?

    public init(pinnedAddress: String? = nil) {
        self.pinnedAddress = pinnedAddress
    }
}

/// The serial numbers a site accepts. Without an allow-list any terminal may register.
///
/// A pinned address is a weak check on a LAN, where a device can take any IP, but it keeps a
/// misconfigured terminal from posing as another one.
public struct TerminalAllowList: Equatable, Sendable {
    /// Serial number -> what is allowed for it.
    public var entries: [String: AllowedTerminal]

    public init(entries: [String: AllowedTerminal]) {
        self.entries = entries
    }

    /// What the list says about terminal `sn` connecting from `peerAddress` (`host:port`).
    public func decision(sn: String, peerAddress: String) -> AllowListDecision {
        guard let entry = entries[sn] else { return .notListed }
        guard let pinned = entry.pinnedAddress, !PeerAddress.sameHost(pinned, peerAddress) else { return .allowed }
        return .wrongAddress(pinned: PeerAddress.host(of: pinned))
    }
}

/// The answer of `TerminalAllowList.decision(sn:peerAddress:)`.
public enum AllowListDecision: Equatable, Sendable {
    case allowed
    case notListed
    /// Listed, but pinned to another IP.
    case wrongAddress(pinned: String)
}
