import CatracaTerminal

/// A record as the store holds it, for the operator CLI and exports.
public struct StoredRecord: Equatable, Sendable {
    /// The row id: records are numbered in the order they were first stored.
    public var id: Int64
    public var identity: RecordIdentity
    public var verifyMode: Int?
    public var temperature: Double?
    public var name: String?
    /// Keys the daemon did not know, as a JSON object text.
    public var extraJSON: String?
    /// When the daemon received it: UTC ISO-8601, `2023-12-23T16:49:30.123Z`.
    public var receivedAt: String
    /// Whether its photo is stored (it may have been pruned).
    public var hasPhoto: Bool
}

/// A terminal as the store remembers it from its registrations.
public struct StoredTerminal: Equatable, Sendable {
    public var sn: String
    /// The `devinfo` object it last sent, as JSON text; kept when a later registration has none.
    public var devinfoJSON: String?
    /// `host:port` it last connected from.
    public var address: String
    /// UTC ISO-8601 times of its first and latest registration.
    public var firstSeen: String
    public var lastSeen: String
}

/// A record that could not be read, kept with the reason.
public struct StoredQuarantinedRecord: Equatable, Sendable {
    public var id: Int64
    public var sn: String?
    /// UTC ISO-8601.
    public var receivedAt: String
    public var reason: String
    public var raw: String
}
