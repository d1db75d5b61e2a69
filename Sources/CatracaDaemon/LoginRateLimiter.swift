import CatracaCore

/// Slows down guessing the API token through the login form: a client address with `maxFailures` failed
/// logins within `window` is refused (429) until the oldest of them is `window` old. A success clears the
/// address's failures. At most `capacity` addresses are tracked; past it the one idle longest is forgotten.
struct LoginRateLimiter {
    let maxFailures: Int
    let window: TimeSpan
    let capacity: Int
    private var failures: [String: [Instant]] = [:]

    init(maxFailures: Int = 5, window: TimeSpan = .seconds(60), capacity: Int = 4_096) {
        self.maxFailures = maxFailures
        self.window = window
        self.capacity = capacity
    }

    /// How long `client` must wait before it may try again; nil when it may try now.
    mutating func retryAfter(client: String, now: Instant) -> TimeSpan? {
        let recent = recentFailures(client: client, now: now)
        guard recent.count >= maxFailures, let oldest = recent.first else { return nil }
        return max(.zero, (oldest + window).since(now))
    }

    mutating func recordFailure(client: String, now: Instant) {
        var recent = recentFailures(client: client, now: now)
        recent.append(now)
        if recent.count > maxFailures { recent.removeFirst(recent.count - maxFailures) }
        if failures[client] == nil && failures.count >= capacity { forgetOne(now: now) }
        failures[client] = recent
    }

    mutating func recordSuccess(client: String) {
        failures[client] = nil
    }

    /// `client`'s failures within the window, oldest first; older ones are dropped.
    private mutating func recentFailures(client: String, now: Instant) -> [Instant] {
        guard let all = failures[client] else { return [] }
        let recent = all.filter { now.since($0) < window }
        failures[client] = recent.isEmpty ? nil : recent
        return recent
    }

    /// Drops every address whose failures are all past the window, or else the one whose last failure is oldest.
    private mutating func forgetOne(now: Instant) {
        failures = failures.filter { entry in entry.value.contains { now.since($0) < window } }
        guard failures.count >= capacity,
              let stalest = failures.min(by: { ($0.value.last ?? .zero) < ($1.value.last ?? .zero) }) else { return }
        failures[stalest.key] = nil
    }
}
