/// Identifies one terminal connection for the lifetime of the daemon.
public struct ConnectionID: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public var description: String { String(rawValue) }
}

/// Which connection holds which terminal's serial number, so that server commands reach the terminal
/// and a reconnecting terminal replaces its stale connection. No I/O: the caller closes connections.
///
/// A serial number is held by at most one connection, and a connection holds at most one serial number.
public struct TerminalDirectory: Sendable {
    /// What a claim displaced.
    public struct Claim: Equatable, Sendable {
        /// The connection that held the serial number before and should now be closed; nil when there
        /// was none or it was the claiming connection itself.
        public var displaced: ConnectionID?
        /// The address the displaced connection came from.
        public var displacedAddress: String?
        /// The displaced connection came from another IP. On a LAN any device can claim any serial
        /// number, so the caller logs this as a warning.
        public var fromDifferentAddress: Bool
    }

    private struct Holder: Sendable {
        var connection: ConnectionID
        var address: String
    }

    private var holders: [String: Holder] = [:]
    private var serialNumbers: [ConnectionID: String] = [:]

    public init() {}

    /// Gives serial number `sn` to `connection` (from `address`, `host:port`); a serial number the
    /// connection held before is released.
    public mutating func claim(sn: String, connection: ConnectionID, address: String) -> Claim {
        if let previous = serialNumbers[connection], previous != sn {
            holders[previous] = nil
        }

        let before = holders[sn]
        holders[sn] = Holder(connection: connection, address: address)
        serialNumbers[connection] = sn

        guard let before, before.connection != connection else {
            return Claim(displaced: nil, displacedAddress: nil, fromDifferentAddress: false)
        }
        serialNumbers[before.connection] = nil
        return Claim(displaced: before.connection, displacedAddress: before.address,
                     fromDifferentAddress: !PeerAddress.sameHost(before.address, address))
    }

    /// Forgets `connection` (it closed); returns the serial number it held, if any.
    @discardableResult
    public mutating func release(connection: ConnectionID) -> String? {
        guard let sn = serialNumbers.removeValue(forKey: connection) else { return nil }
        if holders[sn]?.connection == connection {
            holders[sn] = nil
        }
        return sn
    }

    /// The connection that holds `sn`, if the terminal is connected.
    public func connection(for sn: String) -> ConnectionID? {
        holders[sn]?.connection
    }

    /// The serial number `connection` holds, if any.
    public func serialNumber(of connection: ConnectionID) -> String? {
        serialNumbers[connection]
    }

    /// Every connected terminal, sorted by serial number.
    public var all: [(sn: String, connection: ConnectionID, address: String)] {
        holders.keys.sorted().map { sn in
            let holder = holders[sn]!
            return (sn: sn, connection: holder.connection, address: holder.address)
        }
    }
}
