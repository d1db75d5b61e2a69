import CatracaCore
import CatracaStore
import Foundation

/// Moves one transport through the outbox, batch by batch, in id order: the decisions without the I/O.
///
/// The driver (`OutboxPump`) asks `step(now:)` what to do, does it (read the store, record a change through
/// the writer, hand a batch to the transport, wait) and reports back. Nothing is remembered here that the
/// store does not also hold, so a restart resumes where the store says: a batch stored as "sending" and not
/// confirmed is read back and sent again with the same key.
public struct OutboxForwarder {
    /// What the driver does next.
    public enum Step {
        /// Read the next batch (`OutboxPendingBatch.next`) and report it with `read(_:now:)`.
        case read
        /// Submit this change to the store's writer and report with `recorded(success:now:)`.
        case record(OutboxUpdate)
        /// Hand this batch to the transport and report its answer with `finished(_:now:)`.
        case send(OutboxBatch)
        /// Nothing to do before this instant (or an earlier `retryNow`/`wake`); then ask again.
        case wait(until: Instant)
        /// Waiting for a report already asked for.
        case none
    }

    private enum Phase {
        case needRead
        case reading
        case idle(until: Instant)
        case announcing(OutboxPendingBatch)
        case readyToSend(OutboxPendingBatch)
        case sending(OutboxPendingBatch)
        case backingOff(OutboxPendingBatch, until: Instant)
        case recordingSending(OutboxPendingBatch)
        case outcome(OutboxUpdate)
        case recordingOutcome
        /// A store read or write failed: wait, then read again (the store holds the truth).
        case storeTrouble(until: Instant)
    }

    public let transport: String
    public let configuration: OutboxForwarderConfiguration
    /// A number in 0..<1 for the jitter; injectable so tests can pin it.
    private let random: () -> Double
    /// The wall clock, for the times stored with deliveries.
    private let wallClock: () -> Date

    private var phase = Phase.needRead
    /// Temporary failures in a row, for the back-off.
    public private(set) var failures = 0
    /// The last failure or refusal, until a batch is delivered.
    public private(set) var lastError: String?
    /// When the batch that failed is tried again, while backing off.
    public private(set) var nextRetryAt: Instant?
    /// Entries and batches this forwarder delivered and parked since it started.
    public private(set) var deliveredEntries = 0
    public private(set) var parkedBatches = 0

    public init(transport: String, configuration: OutboxForwarderConfiguration = OutboxForwarderConfiguration(),
                random: @escaping () -> Double = { Double.random(in: 0..<1) },
                wallClock: @escaping () -> Date = Date.init) {
        self.transport = transport
        self.configuration = configuration
        self.random = random
        self.wallClock = wallClock
    }

    /// What to do now.
    public mutating func step(now: Instant) -> Step {
        switch phase {
        case .needRead:
            phase = .reading
            return .read
        case .idle(let until), .storeTrouble(let until):
            guard now >= until else { return .wait(until: until) }
            phase = .reading
            return .read
        case .announcing(let pending):
            phase = .recordingSending(pending)
            return .record(.sending(transport: transport, first: pending.first, last: pending.last))
        case .outcome(let update):
            phase = .recordingOutcome
            return .record(update)
        case .readyToSend(let pending):
            phase = .sending(pending)
            return .send(pending.batch)
        case .backingOff(let pending, let until):
            guard now >= until else { return .wait(until: until) }
            nextRetryAt = nil
            phase = .sending(pending)
            return .send(pending.batch)
        case .reading, .sending, .recordingSending, .recordingOutcome:
            return .none
        }
    }

    /// The store was read: `pending` is the next batch, or nil when the outbox has nothing for this transport.
    public mutating func read(_ pending: OutboxPendingBatch?, now: Instant) {
        guard case .reading = phase else { return }
        guard let pending else {
            phase = .idle(until: now + configuration.idlePollInterval)
            return
        }
        phase = pending.origin == .fresh ? .announcing(pending) : .readyToSend(pending)
    }

    /// Reading the store failed; it is read again after a short wait.
    public mutating func readFailed(_ reason: String, now: Instant) {
        lastError = "cannot read the outbox: \(reason)"
        phase = .storeTrouble(until: now + configuration.firstRetryDelay)
    }

    /// The change asked for by `.record` was committed, or not. After a failure the outbox is read again:
    /// the store still says what is next, and a batch whose delivery was not stored is sent again.
    public mutating func recorded(success: Bool, now: Instant) {
        switch phase {
        case .recordingSending(let pending) where success:
            phase = .readyToSend(pending)
        case .recordingOutcome where success:
            phase = .needRead
        case .recordingSending, .recordingOutcome:
            lastError = "cannot store the outbox's delivery state; reading the outbox again"
            phase = .storeTrouble(until: now + configuration.firstRetryDelay)
        default:
            break
        }
    }

    /// The transport answered for the batch it was handed.
    public mutating func finished(_ result: DeliveryResult, now: Instant) {
        guard case .sending(let pending) = phase else { return }
        let resent = pending.origin == .requeuedParked
        let count = pending.batch.entries.count
        switch result {
        case .delivered:
            failures = 0
            lastError = nil
            deliveredEntries += count
            phase = .outcome(.delivered(transport: transport, first: pending.first, last: pending.last,
                                        entries: count, at: wallClock(), resent: resent))
        case .park(let reason):
            failures = 0
            lastError = reason
            parkedBatches += 1
            phase = .outcome(.parked(transport: transport, first: pending.first, last: pending.last,
                                     entries: count, reason: reason, at: wallClock(), resent: resent))
        case .retry(let after, let reason):
            failures += 1
            lastError = reason
            let until = now + delay(serverAsked: after)
            nextRetryAt = until
            phase = .backingOff(pending, until: until)
        }
    }

    /// An operator asked to retry now: a back-off or an idle wait ends at once, and the back-off starts over.
    public mutating func retryNow(now: Instant) {
        failures = 0
        switch phase {
        case .backingOff(let pending, _):
            nextRetryAt = nil
            phase = .backingOff(pending, until: now)
        case .idle, .storeTrouble:
            phase = .idle(until: now)
        default:
            break
        }
    }

    /// New entries may be waiting: an idle wait ends at once (a back-off does not).
    public mutating func wake(now: Instant) {
        if case .idle = phase { phase = .idle(until: now) }
    }

    /// The delay before the next try: the server's when it gave one (capped), else exponential back-off from
    /// `firstRetryDelay`, capped at `longestRetryDelay`, with "equal jitter": a random point in its upper half,
    /// so that boxes that lost the same link do not all come back in the same instant.
    func delay(serverAsked: TimeSpan?) -> TimeSpan {
        if let asked = serverAsked {
            return min(max(asked, .zero), configuration.longestServerDelay)
        }
        let doublings = min(failures - 1, 40)
        let base = configuration.firstRetryDelay.seconds * pow(2, Double(max(doublings, 0)))
        let capped = min(base, configuration.longestRetryDelay.seconds)
        return .seconds(capped * (0.5 + 0.5 * random()))
    }
}
