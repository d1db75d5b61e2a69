import CatracaCore

/// How a forwarder batches and backs off.
public struct OutboxForwarderConfiguration: Equatable, Sendable {
    /// Entries handed to the transport at once, at most.
    public var batchSize: Int
    /// The delay after the first temporary failure; it doubles with each further one.
    public var firstRetryDelay: TimeSpan
    /// The longest back-off of its own (the doubling stops here).
    public var longestRetryDelay: TimeSpan
    /// The longest `Retry-After` honoured as given; a longer one (or a date far ahead) is cut to this.
    public var longestServerDelay: TimeSpan
    /// How often the outbox is looked at again while it has nothing to send. New records are picked up
    /// within this time; the query is a lookup of one index entry.
    public var idlePollInterval: TimeSpan

    public init(batchSize: Int = 500, firstRetryDelay: TimeSpan = .seconds(1),
                longestRetryDelay: TimeSpan = .seconds(300), longestServerDelay: TimeSpan = .seconds(3_600),
                idlePollInterval: TimeSpan = .milliseconds(250)) {
        self.batchSize = batchSize
        self.firstRetryDelay = firstRetryDelay
        self.longestRetryDelay = longestRetryDelay
        self.longestServerDelay = longestServerDelay
        self.idlePollInterval = idlePollInterval
    }
}
