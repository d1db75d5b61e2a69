import Foundation

/// A change to the outbox's delivery state, made by the store's single writer like every other write.
public enum OutboxUpdate: Sendable {
    /// `transport` is about to be handed entries `first...last`: after a crash the same range is sent again.
    case sending(transport: String, first: Int64, last: Int64)
    /// `transport` confirmed `first...last`. `resent` says the range was a parked batch an operator put
    /// back in line (it is then no longer parked, and the transport's position does not move).
    case delivered(transport: String, first: Int64, last: Int64, entries: Int, at: Date, resent: Bool)
    /// `transport` refused `first...last` for good: it is kept for an operator and the transport moves on.
    case parked(transport: String, first: Int64, last: Int64, entries: Int, reason: String, at: Date,
                resent: Bool)
    /// Puts parked batches back in line (of one transport, or of all when nil).
    case requeueParked(transport: String?)
    /// Deletes entries that every one of `transports` delivered in a batch confirmed before `before`, and
    /// those batches' delivery rows (each transport's newest is kept). Never an undelivered or parked entry.
    case prune(before: Date, transports: [String], limit: Int)
}
