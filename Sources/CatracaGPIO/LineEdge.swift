import CatracaCore

/// One change of a turnstile line's level, as the kernel (or the simulated input) reported it.
///
/// Lines are active-low: the board's relay pulls the line to ground for a turn. `activated` is the
/// line being pulled low (the physical falling edge), `released` it going back high.
public struct LineEdge: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// Pulled low: a pulse begins (or a contact bounces).
        case activated
        /// Back high: a pulse ends (or a contact bounces).
        case released
    }

    public var line: TurnstileLine
    public var kind: Kind
    /// When the edge happened on the monotonic clock: the kernel's event timestamp for GPIO input.
    public var at: Instant

    public init(line: TurnstileLine, kind: Kind, at: Instant) {
        self.line = line
        self.kind = kind
        self.at = at
    }

    public var description: String { "\(line) \(kind == .activated ? "fell" : "rose") at \(at)" }
}
