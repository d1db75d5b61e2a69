/// Whether the outbox's backlog is past its limit, changing state only on a crossing so that a long
/// outage logs one warning and one recovery, not one per check.
public struct OutboxBacklogAlarm: Equatable, Sendable {
    /// Entries waiting past which the alarm is raised; 0 never raises it.
    public let limit: Int64
    public private(set) var isRaised = false

    public enum Change: Equatable, Sendable {
        case raised
        case cleared
    }

    public init(limit: Int64) {
        self.limit = limit
    }

    /// Takes the backlog just measured; says when the alarm was raised or cleared by it.
    public mutating func update(backlog: Int64) -> Change? {
        let over = limit > 0 && backlog > limit
        guard over != isRaised else { return nil }
        isRaised = over
        return over ? .raised : .cleared
    }
}
