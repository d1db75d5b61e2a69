import CatracaCore

/// How the pulse filter tells a relay's pulse from contact bounce, noise and a stuck line.
///
/// The defaults fit the turnstile board's relay pulses, which last about 100 ms to 1 s: a relay contact
/// bounces for 1–5 ms, so gaps shorter than `debounce` are merged into the pulse around them; spikes
/// shorter than `minPulse` (induced noise on a long cable) are not turns; a line held low for more than
/// `maxPulse` is a wiring fault or a welded contact, reported once as stuck and never as a turn.
public struct PulseFilterSettings: Hashable, Sendable {
    /// A release followed by a new activation within this time is bounce, part of the same pulse; a pulse
    /// is therefore delivered `debounce` after its last edge. Default 5 ms.
    public var debounce: TimeSpan
    /// Pulses held low for less than this are noise. Default 20 ms.
    public var minPulse: TimeSpan
    /// A line held low for longer than this is stuck. Default 3 s (three times the terminal's 1 s relay time).
    public var maxPulse: TimeSpan

    public init(
        debounce: TimeSpan = .milliseconds(5),
        minPulse: TimeSpan = .milliseconds(20),
        maxPulse: TimeSpan = .milliseconds(3_000)
    ) {
        self.debounce = debounce
        self.minPulse = minPulse
        self.maxPulse = maxPulse
    }

    public static let `default` = PulseFilterSettings()

    /// Why these settings cannot work, or nil when they can.
    public var problem: String? {
        if debounce < .zero || minPulse < .zero { return "debounce and minimum pulse must not be negative" }
        if maxPulse <= minPulse {
            return "maximum pulse (\(maxPulse)) must be longer than the minimum pulse (\(minPulse))"
        }
        return nil
    }
}
