/// A limit on the bytes that all connections of a server hold together: partly received messages
/// and output the peer has not taken yet.
///
/// Past the limit, every connection that adds to its share stops reading, except the one holding the
/// most, which may finish its message and so free memory. Whenever the largest share belongs to a
/// paused connection, that one alone resumes, so one connection always makes progress and the budget
/// cannot deadlock. Reading resumes for all once the total falls below three quarters of the limit.
/// A paused peer is slowed by TCP flow control, not disconnected.
///
/// Each connection may hold a small `reserve` whatever the total, so that terminals sending ordinary
/// records keep going while a few huge (or stalled) messages fill the budget; the worst case is the
/// limit plus one reserve per connection.
public final class BufferBudget {
    public let limit: Int
    public private(set) var total = 0
    private var shares: [UInt64: Int] = [:]
    private var paused: [UInt64: () -> Void] = [:]

    /// What a connection may hold without ever being paused by the budget.
    public let reserve: Int

    public init(limit: Int, reserve: Int = 64 * 1024) {
        self.limit = limit
        self.reserve = reserve
    }

    private var resumeBelow: Int { limit - limit / 4 }

    /// Number of connections whose reading the budget has paused.
    public var pausedCount: Int { paused.count }

    /// Records that connection `id` now holds `bytes`.
    ///
    /// - Parameters:
    ///   - pause: called when the connection must stop reading.
    ///   - resume: kept and called once reading may go on.
    public func update(id: UInt64, bytes: Int, pause: () -> Void, resume: @escaping () -> Void) {
        let previous = shares[id] ?? 0
        total += bytes - previous
        shares[id] = bytes == 0 ? nil : bytes

        if total > limit, bytes > previous, bytes > reserve, paused[id] == nil, !holdsLargestShare(id) {
            paused[id] = resume
            pause()
        } else if bytes <= reserve, let ownResume = paused.removeValue(forKey: id) {
            ownResume()
        }
        rebalance()
    }

    /// Forgets connection `id` (it closed).
    public func remove(id: UInt64) {
        total -= shares.removeValue(forKey: id) ?? 0
        paused[id] = nil
        rebalance()
    }

    private func rebalance() {
        if total <= resumeBelow {
            resumeAll()
        } else {
            resumeLargestIfPaused()
        }
    }

    /// The connection with the largest share is the one allowed to go on; after the previous one
    /// finished its message, that may be one that was paused.
    private func resumeLargestIfPaused() {
        guard !paused.isEmpty, let largest = shares.max(by: { $0.value < $1.value })?.key,
              let resume = paused.removeValue(forKey: largest) else { return }
        resume()
    }

    private func holdsLargestShare(_ id: UInt64) -> Bool {
        let mine = shares[id] ?? 0
        return !shares.contains { $0.key != id && $0.value > mine }
    }

    private func resumeAll() {
        guard !paused.isEmpty else { return }
        let waiting = paused
        paused.removeAll()
        for resume in waiting.values { resume() }
    }
}
