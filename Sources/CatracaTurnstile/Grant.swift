import CatracaCore
import CatracaTerminal

/// Where a grant came from.
public enum GrantKind: String, Hashable, Sendable, CaseIterable {
    /// A terminal's record of a successful verification of a known person.
    case record
    /// An allow decision the daemon gave a terminal in server-ratify mode.
    case serverAllow
    /// An operator's open-door.
    case openDoor
}

/// Permission to pass given to a person at a turnstile.
public struct Grant: Hashable, Sendable {
    public var turnstile: TurnstileID
    public var kind: GrantKind
    /// The terminal that gave it; nil for an operator's open-door.
    public var sn: String?
    /// The side of the turnstile the grant is for; nil when an open-door names no side.
    public var side: TerminalSide?
    /// The person; nil for an open-door.
    public var enrollid: Int64?
    /// The record's identity when the grant is a record (or a decision on one).
    public var record: RecordIdentity?
    /// The record's `inout`: with the TurnstilePass firmware it says whether the turnstile turned.
    public var inOut: Int?
    /// When the daemon received it, on the monotonic clock (`SystemTimeSource.now`).
    public var arrivedAt: Instant
    /// The key the store gave this grant (for a record, its record id), so that it can mark it closed.
    public var grantID: Int64?

    public init(turnstile: TurnstileID, kind: GrantKind, sn: String? = nil, side: TerminalSide? = nil,
                enrollid: Int64? = nil, record: RecordIdentity? = nil, inOut: Int? = nil, arrivedAt: Instant,
                grantID: Int64? = nil) {
        self.turnstile = turnstile
        self.kind = kind
        self.sn = sn
        self.side = side
        self.enrollid = enrollid
        self.record = record
        self.inOut = inOut
        self.arrivedAt = arrivedAt
        self.grantID = grantID
    }

    /// What a TurnstilePass record says about the turn, or nil when this grant is no such record.
    public var turnstilePassReport: TurnstilePassReport? {
        guard kind == .record, let inOut else { return nil }
        return TurnstilePassReport(inOut: inOut)
    }
}
