/// The site's turnstiles and the terminals placed at them: built and checked once from the site configuration.
public struct TurnstileLayout: Sendable {
    /// Each turnstile with the direction that means entering.
    public private(set) var inDirections: [TurnstileID: Direction]
    /// Terminals by serial number.
    public private(set) var placements: [String: TerminalPlacement]

    /// Fails when a terminal is placed at a turnstile the layout does not have.
    public init(inDirections: [TurnstileID: Direction], placements: [String: TerminalPlacement]) throws {
        for (sn, placement) in placements.sorted(by: { $0.key < $1.key })
        where inDirections[placement.turnstile] == nil {
            throw TurnstileLayoutError.placementAtUnknownTurnstile(sn: sn, turnstile: placement.turnstile)
        }
        self.inDirections = inDirections
        self.placements = placements
    }

    /// Where the terminal `sn` stands, or nil when it stands at no turnstile.
    public func placement(of sn: String) -> TerminalPlacement? { placements[sn] }

    /// The direction that means entering at `turnstile`, or nil when the site has no such turnstile.
    public func inDirection(of turnstile: TurnstileID) -> Direction? { inDirections[turnstile] }

    /// Whether a terminal with the TurnstilePass firmware stands at `turnstile`.
    public func hasTurnReportingTerminal(at turnstile: TurnstileID) -> Bool {
        placements.values.contains { $0.turnstile == turnstile && $0.reportsTurns }
    }
}

/// Why a turnstile layout was refused.
public enum TurnstileLayoutError: Error, Equatable, CustomStringConvertible {
    case placementAtUnknownTurnstile(sn: String, turnstile: TurnstileID)

    public var description: String {
        switch self {
        case .placementAtUnknownTurnstile(let sn, let turnstile):
            return "terminal \(sn) is placed at turnstile \(turnstile), which the site does not list; "
                + "add the turnstile (with its in direction) or fix the placement"
        }
    }
}
