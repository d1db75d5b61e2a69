import CatracaCore

/// How a passage ended.
public enum PassageOutcome: String, Hashable, Sendable, CaseIterable {
    case turnedA
    case turnedB
    /// A grant whose window ran out without a turn.
    case notTurned
    /// A turn no grant explains: an alarm.
    case unauthorisedRotation

    static func turned(_ direction: Direction) -> PassageOutcome {
        direction == .a ? .turnedA : .turnedB
    }
}

/// The joined outcome of a grant and a rotation, or of either alone.
public struct Passage: Hashable, Sendable {
    public var turnstile: TurnstileID
    public var outcome: PassageOutcome
    /// The grant, or nil for an unauthorised rotation.
    public var grant: Grant?
    /// The same person's later verifications on the same terminal while the window was open, folded into
    /// `grant`; the store marks them closed with it.
    public var reverifications: [Grant]
    /// The GPIO rotation, or nil when nothing turned or only a TurnstilePass record reported the turn.
    public var rotation: Rotation?
    /// The direction it turned, or nil when it did not turn.
    public var direction: Direction?
    /// Entry when it turned in the turnstile's in direction, exit when the other way, nil when it did not turn.
    public var side: TerminalSide?
    /// True when it turned the other way from the side the grant was given for (e.g. an entry grant, and the
    /// person went out).
    public var turnedAgainstGrant: Bool
    /// When the joiner closed it, on the monotonic clock: for a turn, when the input that completed it
    /// arrived; for a window or wait that ran out, its end (never before a passage closed earlier); for what
    /// `restore` closes, the restart time. Passages come out of the joiner in `closedAt` order.
    public var closedAt: Instant

    public init(turnstile: TurnstileID, outcome: PassageOutcome, grant: Grant?, reverifications: [Grant] = [],
                rotation: Rotation?, direction: Direction?, side: TerminalSide?, turnedAgainstGrant: Bool,
                closedAt: Instant) {
        self.turnstile = turnstile
        self.outcome = outcome
        self.grant = grant
        self.reverifications = reverifications
        self.rotation = rotation
        self.direction = direction
        self.side = side
        self.turnedAgainstGrant = turnedAgainstGrant
        self.closedAt = closedAt
    }
}
