/// Where a terminal stands: at which turnstile, on which side, and whether its firmware reports turns.
public struct TerminalPlacement: Hashable, Sendable {
    public var turnstile: TurnstileID
    public var side: TerminalSide
    /// True for the TurnstilePass firmware, whose records say themselves whether the turnstile turned
    /// (`inout` 5, 6, 7). The joiner then holds rotations at this turnstile for a whole window so that the
    /// record, which comes after the turn, can claim its rotation instead of both counting.
    public var reportsTurns: Bool

    public init(turnstile: TurnstileID, side: TerminalSide, reportsTurns: Bool = false) {
        self.turnstile = turnstile
        self.side = side
        self.reportsTurns = reportsTurns
    }
}
