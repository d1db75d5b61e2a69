import CatracaStore
import Foundation

/// What the upstream's housekeeping last measured of the outbox, for the metrics served at scrape time
/// (the scrape runs on the event loop, which must not read the store).
public struct OutboxMeasurement: Equatable, Sendable {
    /// Entries not delivered everywhere yet, parked ones included.
    public var backlog: OutboxBacklog
    /// When the oldest of them was written, nil when there are none or its time could not be read.
    public var oldestCreatedAt: Date?
    /// Parked batches of every transport, requeued ones included.
    public var parkedBatches: Int64

    public init(backlog: OutboxBacklog, parkedBatches: Int64) {
        self.backlog = backlog
        self.parkedBatches = parkedBatches
        oldestCreatedAt = backlog.oldestCreatedAt.flatMap(OutboxMeasurement.date)
    }

    /// Whole seconds from the oldest undelivered entry to `now`, never negative; nil when nothing waits.
    public func oldestAgeSeconds(now: Date) -> Int? {
        oldestCreatedAt.map { max(0, Int(now.timeIntervalSince($0))) }
    }

    /// Reads the store's `created_at` (UTC ISO-8601 with milliseconds).
    static func date(_ createdAt: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: createdAt)
    }
}
