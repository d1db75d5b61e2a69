/// A change in the outbox's way upstream that operators watching the status page want to see at once.
public enum UpstreamObservation: Equatable, Sendable {
    /// A batch reached the upstream.
    case delivered(transport: String, entries: Int)
    /// A batch failed and is tried again later.
    case retrying(transport: String, reason: String)
    /// The upstream refused a batch for good; it waits for an operator.
    case parked(transport: String, reason: String)
    /// The backlog (entries not yet delivered everywhere) changed, as measured by the housekeeping.
    case backlog(entries: Int64, alarm: Bool)
}
