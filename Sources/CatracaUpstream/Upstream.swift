import CatracaCore
import CatracaStore
import Dispatch
import Foundation

/// The outbox's way upstream: one `OutboxPump` per configured transport, plus the housekeeping they share
/// (the backlog alarm and pruning of delivered entries), on a queue of its own.
///
/// Started after the store's writer and stopped before it. With no transport configured it does nothing:
/// the outbox keeps filling, so that an upstream configured later receives the history.
public final class Upstream: @unchecked Sendable {
    public struct Settings: Sendable {
        /// Delivered entries are deleted this long after their delivery; nil keeps them.
        public var keepDelivered: TimeSpan?
        /// Backlog entries past which the alarm is raised; 0 never.
        public var backlogAlarmEntries: Int64
        /// How often the backlog is measured and old entries looked for.
        public var housekeepingInterval: TimeSpan

        public init(keepDelivered: TimeSpan? = .seconds(7 * 86_400), backlogAlarmEntries: Int64 = 100_000,
                    housekeepingInterval: TimeSpan = .seconds(5)) {
            self.keepDelivered = keepDelivered
            self.backlogAlarmEntries = backlogAlarmEntries
            self.housekeepingInterval = housekeepingInterval
        }
    }

    public let pumps: [OutboxPump]
    private let writer: StoreWriter
    private let storePath: String
    private let settings: Settings
    private let clock: TimeSource
    private let logger: Logger
    private let queue = DispatchQueue(label: "catraca-outbox-housekeeping")

    /// Used only on `queue`.
    private var alarm: OutboxBacklogAlarm
    private var reader: StoreReader?
    private var stopped = false
    private var lastBacklog: Int64 = 0
    private var observer: (@Sendable (UpstreamObservation) -> Void)?
    private let measurementLock = NSLock()
    private var measurement: OutboxMeasurement?

    public init(pumps: [OutboxPump], writer: StoreWriter, storePath: String, settings: Settings, clock: TimeSource,
                logger: Logger) {
        self.pumps = pumps
        self.writer = writer
        self.storePath = storePath
        self.settings = settings
        self.clock = clock
        self.logger = logger
        alarm = OutboxBacklogAlarm(limit: settings.backlogAlarmEntries)
    }

    /// The transports' names, as their delivery state is named in the store.
    public var transportNames: [String] { pumps.map(\.transport.name) }

    /// Told of deliveries, failures and backlog changes, on the upstream's own queues (hop to your thread).
    /// Set before `start`.
    public func observe(_ observer: @escaping @Sendable (UpstreamObservation) -> Void) {
        self.observer = observer
        pumps.forEach { $0.observer = observer }
    }

    public func start() {
        guard !pumps.isEmpty else {
            logger.info("no upstream configured; the outbox keeps filling and is sent once one is")
            return
        }
        pumps.forEach { $0.start() }
        queue.async { [self] in housekeep() }
    }

    /// Stops the pumps and their transports; the store's writer must still be running.
    public func stop() {
        pumps.forEach { $0.stop() }
        queue.sync {
            stopped = true
            reader?.close()
            reader = nil
        }
    }

    /// Whether the backlog is past `backlogAlarmEntries` (as of the last check).
    public var isAlarmRaised: Bool { queue.sync { alarm.isRaised } }

    /// The outbox as the housekeeping last measured it (every `housekeepingInterval`); nil before the first
    /// measurement, and always without a transport (no housekeeping runs then). Safe from any thread.
    public var lastMeasurement: OutboxMeasurement? {
        measurementLock.lock()
        defer { measurementLock.unlock() }
        return measurement
    }

    /// Each transport's state for operators.
    public func transportStatuses() -> [UpstreamTransportStatus] { pumps.map { $0.status() } }

    /// Retries now; with `parked`, parked batches are first put back in line. `completion` gets how many
    /// parked batches were requeued, or the store's error.
    public func retry(parked: Bool, completion: @escaping @Sendable (Result<Int, StoreError>) -> Void) {
        guard parked, !pumps.isEmpty else {
            pumps.forEach { $0.retryNow() }
            return completion(.success(0))
        }
        writer.submit(.requeueParked(transport: nil)) { [pumps] result in
            pumps.forEach { $0.retryNow() }
            completion(result)
        }
    }

    // MARK: On the queue

    private func housekeep() {
        guard !stopped else { return }
        checkBacklog()
        prune()
        let wait = settings.housekeepingInterval.seconds
        queue.asyncAfter(deadline: .now() + wait) { [self] in housekeep() }
    }

    private func checkBacklog() {
        do {
            let reader = try self.reader ?? StoreReader(path: storePath)
            self.reader = reader
            let backlog = try reader.outboxBacklog(transports: transportNames)
            let parkedBatches = try transportNames.reduce(Int64(0)) {
                $0 + (try reader.outboxFigures(transport: $1).parked)
            }
            measurementLock.lock()
            measurement = OutboxMeasurement(backlog: backlog, parkedBatches: parkedBatches)
            measurementLock.unlock()
            let changed = backlog.entries != lastBacklog
            lastBacklog = backlog.entries
            let alarmChange = alarm.update(backlog: backlog.entries)
            if changed || alarmChange != nil { observer?(.backlog(entries: backlog.entries, alarm: alarm.isRaised)) }
            switch alarmChange {
            case .raised:
                logger.warning("outbox backlog past its alarm limit; terminals are still acknowledged, upstream is "
                               + "behind", ["backlog": "\(backlog.entries)", "limit": "\(alarm.limit)",
                                            "oldest": backlog.oldestCreatedAt ?? "-"])
            case .cleared:
                logger.info("outbox backlog back under its alarm limit",
                            ["backlog": "\(backlog.entries)", "limit": "\(alarm.limit)"])
            case nil:
                break
            }
        } catch {
            reader?.close()
            reader = nil
            logger.debug("cannot measure the outbox backlog; trying again later", ["error": "\(error)"])
        }
    }

    private func prune() {
        guard let keep = settings.keepDelivered else { return }
        let cutoff = clock.wallClock.addingTimeInterval(-keep.seconds)
        writer.submit(.prune(before: cutoff, transports: transportNames, limit: 5_000)) { [logger] result in
            switch result {
            case .success(let deleted) where deleted > 0:
                logger.debug("delivered outbox entries deleted", ["count": "\(deleted)"])
            case .failure(let error):
                logger.warning("cannot delete delivered outbox entries; trying again later",
                               ["error": error.description])
            default:
                break
            }
        }
    }
}
