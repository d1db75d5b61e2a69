import CatracaCore
import CatracaStore
import Dispatch
import Foundation

/// Runs one transport's `OutboxForwarder` for real: on its own serial queue, reading the store with its own
/// read-only connection, recording progress through the store's single writer, waiting with timers.
///
/// Thread-safe: every entry point hops onto the queue. Acknowledging terminals never waits for it.
public final class OutboxPump: @unchecked Sendable {
    public let transport: UpstreamTransport
    private let writer: StoreWriter
    private let storePath: String
    private let clock: TimeSource
    private let logger: Logger
    private let queue: DispatchQueue

    /// Used only on `queue`.
    private var forwarder: OutboxForwarder
    private var reader: StoreReader?
    private var timerGeneration = 0
    private var stopped = false
    /// Told of each delivery outcome, on the pump's queue; set before `start`.
    var observer: (@Sendable (UpstreamObservation) -> Void)?

    public init(transport: UpstreamTransport, writer: StoreWriter, storePath: String,
                configuration: OutboxForwarderConfiguration, clock: TimeSource, logger: Logger,
                random: @escaping () -> Double = { Double.random(in: 0..<1) }) {
        self.transport = transport
        self.writer = writer
        self.storePath = storePath
        self.clock = clock
        self.logger = logger
        queue = DispatchQueue(label: "catraca-outbox-\(transport.name)")
        forwarder = OutboxForwarder(transport: transport.name, configuration: configuration, random: random,
                                    wallClock: { clock.wallClock })
    }

    /// Opens the transport's connection, if it keeps one, and starts forwarding from where the store says this
    /// transport stands.
    public func start() {
        logger.info("forwarding the outbox upstream", ["transport": transport.name])
        (transport as? UpstreamConnection)?.start()
        queue.async { [self] in drive() }
    }

    /// Stops asking the transport for more and stops the transport; a batch in flight is sent again by the
    /// next start (with the same key).
    public func stop() {
        queue.sync { stopped = true }
        transport.stop()
        queue.sync { reader?.close(); reader = nil }
    }

    /// Ends a back-off or an idle wait at once.
    public func retryNow() {
        queue.async { [self] in
            forwarder.retryNow(now: clock.now)
            drive()
        }
    }

    /// What an operator sees of this transport.
    public func status() -> UpstreamTransportStatus {
        queue.sync {
            let now = clock.now
            let wall = clock.wallClock
            let retryAt = forwarder.nextRetryAt.map { wall.addingTimeInterval($0.since(now).seconds) }
            let connection = transport as? UpstreamConnection
            return UpstreamTransportStatus(name: transport.name, lastError: forwarder.lastError, nextRetryAt: retryAt,
                                           deliveredSinceStart: forwarder.deliveredEntries,
                                           parkedSinceStart: forwarder.parkedBatches,
                                           connected: connection?.isConnected)
        }
    }

    // MARK: On the queue

    private func drive() {
        while !stopped {
            switch forwarder.step(now: clock.now) {
            case .read:
                readNext()
            case .record(let update):
                record(update)
                return
            case .send(let batch):
                send(batch)
                return
            case .wait(let until):
                schedule(at: until)
                return
            case .none:
                return
            }
        }
    }

    private func readNext() {
        do {
            let reader = try self.reader ?? StoreReader(path: storePath)
            self.reader = reader
            let pending = try OutboxPendingBatch.next(from: reader, transport: transport.name,
                                                      batchSize: forwarder.configuration.batchSize)
            forwarder.read(pending, now: clock.now)
        } catch {
            reader?.close()
            reader = nil
            logger.warning("cannot read the outbox; trying again", ["transport": transport.name, "error": "\(error)"])
            forwarder.readFailed("\(error)", now: clock.now)
        }
    }

    private func record(_ update: OutboxUpdate) {
        writer.submit(update) { [self] result in
            queue.async { [self] in
                if case .failure(let error) = result {
                    logger.warning("cannot store the outbox's delivery state; the batch will be sent again",
                                   ["transport": transport.name, "error": error.description])
                }
                forwarder.recorded(success: (try? result.get()) != nil, now: clock.now)
                drive()
            }
        }
    }

    private func send(_ batch: OutboxBatch) {
        let started = clock.now
        transport.deliver(batch) { [self] result in
            queue.async { [self] in
                guard !stopped else { return }
                log(result, batch: batch, elapsed: clock.now.since(started))
                forwarder.finished(result, now: clock.now)
                drive()
            }
        }
    }

    private func log(_ result: DeliveryResult, batch: OutboxBatch, elapsed: TimeSpan) {
        var metadata = ["transport": transport.name, "key": batch.key, "entries": "\(batch.entries.count)",
                        "ms": String(format: "%.1f", elapsed.milliseconds)]
        switch result {
        case .delivered:
            logger.debug("outbox batch delivered", metadata)
            observer?(.delivered(transport: transport.name, entries: batch.entries.count))
        case .retry(let after, let reason):
            metadata["reason"] = reason
            metadata["failures"] = "\(forwarder.failures + 1)"
            if let after { metadata["retry_after_s"] = String(format: "%.1f", after.seconds) }
            logger.warning("outbox batch not delivered; retrying later", metadata)
            observer?(.retrying(transport: transport.name, reason: reason))
        case .park(let reason):
            metadata["reason"] = reason
            logger.error("outbox batch refused by upstream; parked for an operator (catraca outbox parked)", metadata)
            observer?(.parked(transport: transport.name, reason: reason))
        }
    }

    private func schedule(at deadline: Instant) {
        timerGeneration += 1
        let generation = timerGeneration
        let wait = max(0, deadline.since(clock.now).seconds)
        queue.asyncAfter(deadline: .now() + wait) { [self] in
            guard generation == timerGeneration else { return }
            drive()
        }
    }
}

/// What an operator sees of one transport.
public struct UpstreamTransportStatus: Equatable, Sendable {
    public var name: String
    public var lastError: String?
    public var nextRetryAt: Date?
    public var deliveredSinceStart: Int
    public var parkedSinceStart: Int
    /// Whether a transport that keeps a connection (MQTT) has it up; nil for one that does not (HTTP).
    public var connected: Bool?
}
