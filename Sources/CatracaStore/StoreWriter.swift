import CatracaCore
import CatracaTerminal
import Foundation

/// The single writer: a dedicated thread that commits everything submitted since its last commit in one
/// transaction (group commit), then reports to each submitter.
///
/// A terminal is acknowledged only after its batch is durably committed, and every commit costs a sync of
/// the WAL. Committing the batches of many terminals together pays that sync once for all of them.
///
/// Completions run on the writer thread, after the commit: they must be short and hop to their own event
/// loop. If a commit fails, every item in it fails; nothing of it is stored, and the writer keeps going.
public final class StoreWriter: @unchecked Sendable {
    /// How the writer groups work and keeps photos.
    public struct Configuration: Sendable {
        /// Records (plus quarantined records and registrations) in one transaction at most, so that one
        /// large group does not hold up the submitters queued behind it. A single larger batch still
        /// commits, alone.
        public var maxRowsPerCommit: Int
        /// Photo bytes in one transaction at most, for the same reason.
        public var maxPhotoBytesPerCommit: Int
        /// How long the writer waits for more work after waking, before committing a group that is not full.
        /// Zero commits at once; work that arrives during a commit is grouped anyway.
        ///
        /// Measured here (`StoreWriterLoadTests`, 50 terminals × 20 records every 20 ms, release build, a disk
        /// whose fdatasync takes ~0.12 ms): zero gave p50 0.20 ms and p99 2.5 ms; 200 µs gave p50 0.52 ms and
        /// p99 3.1 ms at the same 50,000 records/s. Slower storage makes commits, and so groups, longer by
        /// itself, so zero is the default.
        public var gatherDelay: TimeSpan
        /// How long photos are kept; nil keeps them forever.
        public var photoRetention: TimeSpan?
        /// How often old photos are looked for, when `photoRetention` is set.
        public var pruneInterval: TimeSpan
        /// What newly stored records put in the outbox.
        public var outboxPolicy = RecordOutboxPolicy()
        /// Which newly stored records are grants at a turnstile (see `RecordStore.grantTurnstile`).
        public var grantTurnstile: (@Sendable (AccessRecord) -> String?)?
        /// Where each successful commit's duration goes, in seconds; nil counts nowhere.
        public var commitLatency: Histogram?
        /// Counts commits that failed and were rolled back; nil counts nowhere.
        public var failedCommitCounter: Counter?

        public init(maxRowsPerCommit: Int = 2_000, maxPhotoBytesPerCommit: Int = 4 << 20, gatherDelay: TimeSpan = .zero,
                    photoRetention: TimeSpan? = nil, pruneInterval: TimeSpan = .seconds(600)) {
            self.maxRowsPerCommit = maxRowsPerCommit
            self.maxPhotoBytesPerCommit = maxPhotoBytesPerCommit
            self.gatherDelay = gatherDelay
            self.photoRetention = photoRetention
            self.pruneInterval = pruneInterval
        }
    }

    /// Work waiting for the writer and whom to tell when it is done.
    private struct Pending {
        var work: StoreWork
        var complete: (Result<StoreWorkResult, StoreError>) -> Void
    }

    private let store: RecordStore
    private let configuration: Configuration
    private let logger: Logger
    private let clock: TimeSource
    private let path: String

    private let condition = NSCondition()
    private var pending: [Pending] = []
    private var stopping = false
    private var statistics = StoreWriterStats()
    /// Entered while the writer thread runs; `stop` waits on it.
    private let running = DispatchGroup()

    /// Writer-thread state: whether the last commit failed (to log a failure once and the recovery once).
    private var failing = false
    private var nextPrune: Instant

    /// Takes over `store` and starts the writer thread. From now on only the writer thread uses `store`.
    public init(store: RecordStore, configuration: Configuration = Configuration(), logger: Logger,
                clock: TimeSource = SystemTimeSource()) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.path = store.database.path
        self.nextPrune = clock.now

        running.enter()
        let thread = Thread { [self] in run() }
        thread.name = "catraca-store-writer"
        thread.start()
    }

    /// Opens the store at `path` (see `RecordStore.init`) and starts a writer for it.
    public convenience init(path: String, configuration: Configuration = Configuration(), logger: Logger,
                            clock: TimeSource = SystemTimeSource()) throws {
        let store = try RecordStore(path: path, clock: clock)
        store.outboxPolicy = configuration.outboxPolicy
        store.grantTurnstile = configuration.grantTurnstile
        self.init(store: store, configuration: configuration, logger: logger, clock: clock)
    }

    /// Queues a batch; `completion` gets what the commit did, or why nothing was stored.
    public func submit(_ batch: RecordBatch,
                       completion: @escaping @Sendable (Result<BatchOutcome, StoreError>) -> Void) {
        enqueue(.batch(batch)) { result in
            completion(result.map { stored in
                guard case .batch(let outcome) = stored else { preconditionFailure("a batch yields an outcome") }
                return outcome
            })
        }
    }

    /// Queues a terminal registration; `completion` says whether it was stored.
    public func submit(_ registration: TerminalRegistration,
                       completion: @escaping @Sendable (Result<Void, StoreError>) -> Void) {
        enqueue(.registration(registration)) { result in
            completion(result.map { _ in () })
        }
    }

    /// Queues an outbox change; `completion` gets the rows it changed, or why nothing was stored.
    public func submit(_ update: OutboxUpdate, completion: @escaping @Sendable (Result<Int, StoreError>) -> Void) {
        enqueue(.outbox(update)) { result in
            completion(result.map { stored in
                guard case .outbox(let changed) = stored else { preconditionFailure("an outbox update yields a count") }
                return changed
            })
        }
    }

    /// Queues a note that terminal `sn` was seen at `date`; only its `last_seen` changes.
    /// Queues a rotation; `completion` gets its row id.
    public func submit(_ rotation: RotationRow, completion: @escaping @Sendable (Result<Int64, StoreError>) -> Void) {
        enqueue(.rotation(rotation)) { result in
            completion(result.map { stored in
                guard case .rotation(let id) = stored else { preconditionFailure("a rotation yields its id") }
                return id
            })
        }
    }

    /// Queues a closed passage; `completion` gets its row id.
    public func submit(_ passage: PassageRow, completion: @escaping @Sendable (Result<Int64, StoreError>) -> Void) {
        enqueue(.passage(passage)) { result in
            completion(result.map { stored in
                guard case .passage(let id) = stored else { preconditionFailure("a passage yields its id") }
                return id
            })
        }
    }

    /// Queues a finished call; `completion` gets its row id.
    public func submit(_ call: CallRow, completion: @escaping @Sendable (Result<Int64, StoreError>) -> Void) {
        enqueue(.call(call)) { result in
            completion(result.map { stored in
                guard case .call(let id) = stored else { preconditionFailure("a call yields its id") }
                return id
            })
        }
    }

    /// Queues marking rotations and grants that ended in no passage as closed.
    public func submitSettled(rotationIDs: [Int64], recordIDs: [Int64],
                              completion: @escaping @Sendable (Result<Void, StoreError>) -> Void) {
        enqueue(.settled(rotationIDs: rotationIDs, recordIDs: recordIDs)) { result in
            completion(result.map { _ in () })
        }
    }

    public func submitSeen(sn: String, at date: Date) {
        enqueue(.seen(sn: sn, at: date)) { _ in }
    }

    /// Commits what is queued, closes the database and ends the writer thread; returns when all that is done.
    ///
    /// Work submitted afterwards fails at once with `.writerStopped`. Must not be called from a completion
    /// (the writer thread would wait for itself).
    public func stop() {
        condition.lock()
        let alreadyStopping = stopping
        stopping = true
        condition.signal()
        condition.unlock()

        running.wait()
        if !alreadyStopping {
            let totals = stats
            let meanCommit = totals.commits == 0 ? 0 : Double(totals.commitNanoseconds) / Double(totals.commits) / 1e6
            logger.info("store closed", [
                "path": path, "commits": "\(totals.commits)", "rows_written": "\(totals.rows)",
                "mean_commit_ms": String(format: "%.3f", meanCommit),
                "mean_items_per_commit": String(format: "%.1f", totals.meanItemsPerCommit),
            ])
        }
    }

    /// A snapshot of what the writer has done so far.
    public var stats: StoreWriterStats {
        condition.lock()
        defer { condition.unlock() }
        return statistics
    }

    private func enqueue(_ work: StoreWork, complete: @escaping (Result<StoreWorkResult, StoreError>) -> Void) {
        condition.lock()
        guard !stopping else {
            condition.unlock()
            complete(.failure(StoreError(kind: .writerStopped, operation: "queue work", path: path)))
            return
        }
        pending.append(Pending(work: work, complete: complete))
        condition.signal()
        condition.unlock()
    }

    // MARK: The writer thread

    private func run() {
        while let group = nextGroup() {
            if !group.isEmpty {
                commit(group)
                checkpointIfDue()
            }
            pruneIfDue()
        }
        store.close()
        running.leave()
    }

    /// Waits for work and takes a group of it, up to the caps. Returns an empty group when photo pruning
    /// is due and nil once stopping with nothing left.
    private func nextGroup() -> [Pending]? {
        condition.lock()
        defer { condition.unlock() }

        while pending.isEmpty && !stopping {
            guard let deadline = pruneDeadline() else {
                condition.wait()
                continue
            }
            if clock.now >= nextPrune { return [] }
            _ = condition.wait(until: deadline)
        }
        if pending.isEmpty { return nil }

        gatherMore()
        return takeGroup()
    }

    /// When the writer must wake up to prune photos while idle, or nil when photos are kept forever.
    private func pruneDeadline() -> Date? {
        guard configuration.photoRetention != nil else { return nil }
        let wait = nextPrune.since(clock.now)
        return Date().addingTimeInterval(max(0, wait.seconds))
    }

    /// Waits up to `gatherDelay` for more work to join the group. Called with the lock held.
    private func gatherMore() {
        guard configuration.gatherDelay > .zero, !stopping else { return }
        let deadline = Date().addingTimeInterval(configuration.gatherDelay.seconds)
        while !stopping && pendingRows() < configuration.maxRowsPerCommit && Date() < deadline {
            _ = condition.wait(until: deadline)
        }
    }

    private func pendingRows() -> Int {
        pending.reduce(0) { $0 + $1.work.rowCount }
    }

    /// Removes the oldest pending items up to the caps (at least one). Called with the lock held.
    private func takeGroup() -> [Pending] {
        var rows = 0
        var photoBytes = 0
        var count = 0
        for item in pending {
            let itemRows = item.work.rowCount
            let itemPhotoBytes = item.work.photoBytes
            let overCap = rows + itemRows > configuration.maxRowsPerCommit
                || photoBytes + itemPhotoBytes > configuration.maxPhotoBytesPerCommit
            if count > 0 && overCap { break }
            rows += itemRows
            photoBytes += itemPhotoBytes
            count += 1
        }

        if count == pending.count {
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        defer { pending.removeFirst(count) }
        return Array(pending[..<count])
    }

    private func commit(_ group: [Pending]) {
        let started = clock.now
        let result: Result<[StoreWorkResult], StoreError>
        do {
            result = .success(try store.commit(group.map(\.work)))
        } catch let error as StoreError {
            result = .failure(error)
        } catch {
            result = .failure(StoreError(kind: .sqlite, operation: "commit \(group.count) items", path: path,
                                         sqliteMessage: "\(error)"))
        }
        let elapsed = clock.now.since(started)

        record(result, group: group, elapsed: elapsed)
        switch result {
        case .success(let outcomes):
            for (item, outcome) in zip(group, outcomes) {
                item.complete(.success(outcome))
            }
        case .failure(let error):
            for item in group {
                item.complete(.failure(error))
            }
        }
    }

    private func checkpointIfDue() {
        guard store.isCheckpointDue else { return }
        do {
            try store.checkpoint()
        } catch {
            // Nothing is lost: the log keeps every commit and the next round tries again.
            logger.debug("checkpoint failed; trying again after the next commit", ["error": "\(error)"])
        }
    }

    /// Updates the statistics and logs a failure once, and the recovery once.
    private func record(_ result: Result<[StoreWorkResult], StoreError>, group: [Pending], elapsed: TimeSpan) {
        condition.lock()
        switch result {
        case .success:
            statistics.recordCommit(items: group.count, rows: group.reduce(0) { $0 + $1.work.rowCount },
                                    nanoseconds: elapsed.nanoseconds)
        case .failure:
            statistics.failedCommits += 1
        }
        condition.unlock()

        switch result {
        case .success: configuration.commitLatency?.observe(elapsed.seconds)
        case .failure: configuration.failedCommitCounter?.increment()
        }

        switch result {
        case .success where failing:
            failing = false
            logger.info("store recovered", ["path": path])
        case .failure(let error) where !failing:
            failing = true
            logger.error("store commit failed; terminals are not acknowledged until a commit succeeds", [
                "error": error.description, "code": "\(error.extendedResultCode)", "items": "\(group.count)",
            ])
        default:
            break
        }
    }

    /// Deletes photos older than the retention, one chunk at a time between groups so that commits
    /// are not held up by a large backlog.
    private func pruneIfDue() {
        guard let retention = configuration.photoRetention, clock.now >= nextPrune else { return }
        let chunkSize = 500
        let cutoff = clock.wallClock.addingTimeInterval(-retention.seconds)
        do {
            let deleted = try store.pruneChunk(olderThan: cutoff, limit: chunkSize)
            nextPrune = deleted == chunkSize ? clock.now : clock.now + configuration.pruneInterval
            if deleted > 0 {
                logger.debug("old photos deleted", ["count": "\(deleted)"])
            }
        } catch {
            nextPrune = clock.now + configuration.pruneInterval
            logger.warning("could not delete old photos; retrying later", ["error": "\(error)"])
        }
    }
}
