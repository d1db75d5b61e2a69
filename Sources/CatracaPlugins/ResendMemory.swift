import CatracaCore

/// Decisions remembered for a while, so that a terminal's resend gets the answer the first send got
/// without asking the plugins again (a single-use code is not refused on its own resend).
///
/// Entries leave in the order they came, once older than `lifetime` or when more than `capacity` are
/// held; both bound the memory a flood of distinct keys can take.
public struct ResendMemory<Key: Hashable, Value> {
    public let lifetime: TimeSpan
    public let capacity: Int
    private var entries: [Key: (value: Value, at: Instant)] = [:]
    private var arrivals: [(key: Key, at: Instant)] = []
    private var head = 0

    public init(lifetime: TimeSpan, capacity: Int = 100_000) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
    }

    /// Entries held now (expired ones leave at the next call).
    public var count: Int { entries.count }

    /// The value remembered for `key`, unless it is older than `lifetime`.
    public mutating func recall(_ key: Key, now: Instant) -> Value? {
        forgetExpired(now: now)
        return entries[key]?.value
    }

    /// Remembers `value` for `key` from `now`; remembering a key again restarts its lifetime.
    public mutating func remember(_ key: Key, _ value: Value, now: Instant) {
        entries[key] = (value, now)
        arrivals.append((key, now))
        forgetExpired(now: now)
        while entries.count > capacity, head < arrivals.count { dropOldest() }
    }

    private mutating func forgetExpired(now: Instant) {
        while head < arrivals.count, now.since(arrivals[head].at) >= lifetime { dropOldest() }
    }

    private mutating func dropOldest() {
        let oldest = arrivals[head]
        head += 1
        // A key remembered again since has a later arrival; only the entry of this arrival leaves.
        if let entry = entries[oldest.key], entry.at == oldest.at { entries[oldest.key] = nil }
        if head > 1024 && head * 2 > arrivals.count {
            arrivals.removeFirst(head)
            head = 0
        }
    }
}
