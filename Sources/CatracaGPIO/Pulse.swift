import CatracaCore

/// One completed, debounced active-low pulse on a turnstile line: one turn of the turnstile.
///
/// Both instants are on the monotonic clock (`CLOCK_MONOTONIC`): for GPIO input they are the kernel's
/// timestamps of the first falling edge and of the rising edge that ended the pulse, not the moments the
/// daemon read them.
public struct Pulse: Hashable, Sendable, CustomStringConvertible {
    public var line: TurnstileLine
    /// The line was pulled low (first edge of the pulse, bounce included).
    public var fellAt: Instant
    /// The line went back high for good (the edge after which it stayed high for the debounce time).
    public var roseAt: Instant

    public init(line: TurnstileLine, fellAt: Instant, roseAt: Instant) {
        self.line = line
        self.fellAt = fellAt
        self.roseAt = roseAt
    }

    /// How long the line was held low.
    public var width: TimeSpan { roseAt.since(fellAt) }

    public var description: String { "\(line) pulse fell=\(fellAt) width=\(width)" }
}
