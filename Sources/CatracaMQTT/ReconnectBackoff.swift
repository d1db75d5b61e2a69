/// How long to wait before the next connection attempt: the wait doubles after each failure, from a
/// minimum up to a maximum, and is spread at random over its upper half so that a fleet of cabinets
/// cut off by the same outage does not reconnect to the broker in lockstep.
struct ReconnectBackoff {
    let minimumSeconds: Double
    let maximumSeconds: Double
    private(set) var failures = 0

    init(minimumSeconds: Double, maximumSeconds: Double) {
        self.minimumSeconds = minimumSeconds
        self.maximumSeconds = maximumSeconds
    }

    /// The wait after one more failure; `random` is uniform in 0...1 (a parameter so tests can fix it).
    mutating func delayAfterFailure(random: Double = Double.random(in: 0...1)) -> Double {
        let doubled = minimumSeconds * Double(1 << min(failures, 30))
        failures += 1
        let ceiling = min(doubled, maximumSeconds)
        return ceiling / 2 + ceiling / 2 * random
    }

    /// A connection was accepted: the next failure waits the minimum again.
    mutating func reset() { failures = 0 }
}
