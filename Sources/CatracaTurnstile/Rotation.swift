import CatracaCore

/// One completed turn reported by the turnstile board: an active-low pulse on one of its two lines.
///
/// The GPIO side delivers only pulses that passed its debounce and minimum-width filter.
public struct Rotation: Hashable, Sendable {
    public var turnstile: TurnstileID
    public var direction: Direction
    /// The kernel's timestamp of the pulse's falling edge, converted to the daemon's monotonic clock.
    public var fellAt: Instant
    /// The kernel's timestamp of the pulse's rising edge.
    public var roseAt: Instant
    /// The key the store gave this rotation, so that it can mark it closed.
    public var rotationID: Int64?

    public init(turnstile: TurnstileID, direction: Direction, fellAt: Instant, roseAt: Instant,
                rotationID: Int64? = nil) {
        self.turnstile = turnstile
        self.direction = direction
        self.fellAt = fellAt
        self.roseAt = roseAt
        self.rotationID = rotationID
    }
}
