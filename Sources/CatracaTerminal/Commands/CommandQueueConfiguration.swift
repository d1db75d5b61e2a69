import CatracaCore

/// Limits and waits of a terminal's command queue.
public struct CommandQueueConfiguration: Equatable, Sendable {
    /// How long a command, or each page of a listing, waits for its reply.
    public var replyTimeout: TimeSpan
    /// How long a command whose reply the protocol leaves undocumented waits before it counts as sent.
    public var unansweredWait: TimeSpan
    /// Commands that may wait at once, the one in progress included.
    public var maxQueued: Int
    /// Pages a listing may take before the terminal is taken to never end it.
    public var maxPages: Int

    public init(replyTimeout: TimeSpan = .seconds(20), unansweredWait: TimeSpan = .seconds(3), maxQueued: Int = 32,
                maxPages: Int = 10_000) {
        self.replyTimeout = replyTimeout
        self.unansweredWait = unansweredWait
        self.maxQueued = maxQueued
        self.maxPages = maxPages
    }
}
