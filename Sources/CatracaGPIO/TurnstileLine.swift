/// One of the two inputs a turnstile board reports completed turns on (protocol section 3).
///
/// Relay 2 pulses **FIRE IN** when the turnstile turned in direction A, relay 3 pulses **EXIT BUTTON**
/// for direction B. Which direction means "in" is site configuration, not this type's business.
public enum TurnstileLine: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Relay 2, white wire: the turnstile turned in direction A.
    case fireIn = "fire-in"
    /// Relay 3, yellow wire: the turnstile turned in direction B.
    case exitButton = "exit-button"

    /// The name used in logs, configuration and the probe's output: `fire-in`, `exit-button`.
    public var description: String { rawValue }
}
