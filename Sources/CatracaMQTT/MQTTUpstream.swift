import CatracaCore
import CatracaStore
import Foundation

/// The MQTT upstream: publishes each outbox entry as one QoS 1 message to `<prefix>/<site>/<kind>s` and
/// reports a batch delivered once the broker has acknowledged (PUBACK) every message of it.
///
/// One libmosquitto client runs on a thread of its own (never the daemon's event loop), which connects,
/// reads and writes, and reconnects with back-off. MQTT 5, clean start off and a session expiry keep the
/// session at the broker across drops. Each message carries the entry's id in the `entry-id` user
/// property (and the payload's own `id`).
///
/// Delivery is at least once. When the link drops before every PUBACK arrived the batch comes back as
/// `.retry` and the forwarder sends it again under the same key; libmosquitto also sends its own copies
/// of the unacknowledged messages again after reconnecting. The central system therefore drops
/// duplicates by entry id. A message the broker refuses for good (not authorised, too large, invalid
/// topic) parks its batch.
public final class MQTTUpstream: UpstreamTransport, @unchecked Sendable {
    public let name = "mqtt"
    public let settings: MQTTUpstreamSettings

    private let client: MosquittoClient
    private let logger: Logger
    private let clock = SystemTimeSource()
    private let brokerName: String

    /// Guards everything below, and wakes the network thread from its wait between attempts.
    private let condition = NSCondition()
    private var link = LinkState.idle
    private var tracker = PublishTracker()
    private var backoff: ReconnectBackoff
    private var lastError = "not connected yet"
    /// The broker's reason for refusing the connection being closed now.
    private var refusal: String?
    private var stopping = false
    private let threadFinished = DispatchSemaphore(value: 0)
    private var threadStarted = false

    private enum LinkState {
        case idle
        case waiting(until: Instant)
        case connecting(since: Instant)
        case connected
    }

    /// Validates `settings` and sets the client up; `start()` then connects.
    public init(settings: MQTTUpstreamSettings, logger: Logger) throws {
        try settings.validate()
        self.settings = settings
        self.logger = logger.child(label: "mqtt")
        brokerName = "\(settings.host):\(settings.port)"
        backoff = ReconnectBackoff(
            minimumSeconds: settings.reconnectDelayMinSeconds, maximumSeconds: settings.reconnectDelayMaxSeconds)
        client = try MosquittoClient(settings: settings)
        client.events = self
    }

    /// Starts the network thread, which connects to the broker and stays connected until `stop()`; the
    /// thread keeps the transport alive until then.
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !threadStarted, !stopping else { return }
        threadStarted = true

        let thread = Thread { [self] in runNetworkThread() }
        thread.name = "catraca-mqtt"
        thread.start()
    }

    /// Whether the broker has accepted the connection and it has not dropped since.
    public var isConnected: Bool {
        condition.lock()
        defer { condition.unlock() }
        if case .connected = link { return true }
        return false
    }

    /// Why the last connection attempt or connection failed.
    public var lastConnectionError: String {
        condition.lock()
        defer { condition.unlock() }
        return lastError
    }

    public func deliver(_ batch: OutboxBatch, completion: @escaping @Sendable (DeliveryResult) -> Void) {
        condition.lock()
        let finished = publish(batch, completion: completion)
        condition.unlock()
        finished?.complete()
    }

    /// Disconnects cleanly (the broker keeps the session) and ends the network thread. Batches still
    /// waiting for PUBACKs come back as `.retry`. Waits up to 10 s for the thread, which can be stuck
    /// in a first, blocking connection attempt to an unreachable broker; it then ends on its own.
    public func stop() {
        condition.lock()
        let wasRunning = threadStarted && !stopping
        stopping = true
        let finished = tracker.abandonAll(with: .retry(after: nil, reason: "the MQTT transport is stopping"))
        condition.broadcast()
        condition.unlock()
        finished.forEach { $0.complete() }

        if wasRunning && threadFinished.wait(timeout: .now() + 10) == .timedOut {
            logger.warning("the MQTT network thread did not end within 10 s", ["broker": brokerName])
        }
    }

    // MARK: - Publishing (under the lock)

    private func publish(_ batch: OutboxBatch, completion: @escaping @Sendable (DeliveryResult) -> Void)
        -> PublishTracker.Finished?
    {
        guard !stopping else {
            return .init(completion: completion, result: .retry(after: nil, reason: "the MQTT transport is stopped"))
        }
        guard case .connected = link else {
            let reason = "not connected to the MQTT broker \(brokerName): \(lastError)"
            return .init(completion: completion, result: .retry(after: nil, reason: reason))
        }

        let token = tracker.begin(completion: completion)
        for entry in batch.entries {
            if let refusal = publish(entry, batchKey: batch.key, token: token) {
                return tracker.abandon(token, with: refusal)
            }
        }
        scheduleTimeout(for: token)
        return tracker.finishPublishing(token)
    }

    /// Queues one entry's message; returns the batch's result if it cannot be queued.
    private func publish(_ entry: OutboxEntry, batchKey: String, token: UInt64) -> DeliveryResult? {
        guard let topic = MQTTTopic.name(prefix: settings.topicPrefix, site: settings.site, kind: entry.kind) else {
            let problem = MQTTTopic.problem(inLevel: entry.kind) ?? "is not a topic level"
            return .park(reason: "entry \(entry.id) has the kind \"\(entry.kind)\", which \(problem)")
        }

        let properties = MessageProperties(entryID: entry.id, kind: entry.kind, batchKey: batchKey)
        do {
            let mid = try client.publish(topic: topic, payload: entry.payload, properties: properties)
            tracker.published(mid: mid, entryID: entry.id, topic: topic, in: token)
            return nil
        } catch let error as MosquittoError {
            let verdict = MessageVerdict.forPublishFailure(
                code: error.code, entryID: entry.id, topic: topic, payloadBytes: entry.payload.utf8.count)
            switch verdict {
            case .park(let reason): return .park(reason: reason)
            case .retry(let reason): return .retry(after: nil, reason: reason)
            case .accepted: return nil
            }
        } catch {
            return .retry(after: nil, reason: "entry \(entry.id) could not be published: \(error)")
        }
    }

    private func scheduleTimeout(for token: UInt64) {
        let timeout = settings.publishTimeoutSeconds
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak self] in
            guard let self else { return }
            condition.lock()
            let reason = "the broker \(brokerName) did not acknowledge every message within \(timeout) s"
            let finished = tracker.abandon(token, with: .retry(after: nil, reason: reason))
            condition.unlock()
            finished?.complete()
        }
    }

    // MARK: - The network thread

    private func runNetworkThread() {
        connectFirstTime()
        while let step = nextStep() {
            switch step {
            case .service: serviceConnection()
            case .reconnect: reconnect()
            }
        }
        disconnectCleanly()
        threadFinished.signal()
    }

    private enum Step { case service, reconnect }

    /// Waits, if the link is waiting for its next attempt, until that attempt is due; `nil` once stopping.
    private func nextStep() -> Step? {
        condition.lock()
        defer { condition.unlock() }
        while !stopping {
            switch link {
            case .connected: return .service
            case .connecting(let since):
                if clock.now.since(since) > connectTimeout {
                    linkFailed(reason: "no CONNACK within \(connectTimeout) of connecting")
                } else {
                    return .service
                }
            case .waiting(let until):
                let remaining = until.since(clock.now)
                if remaining <= .zero { return .reconnect }
                _ = condition.wait(until: Date(timeIntervalSinceNow: remaining.seconds))
            case .idle:
                return .reconnect
            }
        }
        return nil
    }

    /// The longest a connection attempt may take from TCP connect to CONNACK.
    private var connectTimeout: TimeSpan { .seconds(Double(max(10, settings.keepaliveSeconds))) }

    private func connectFirstTime() {
        logger.info("connecting to the MQTT broker", ["broker": brokerName, "client_id": settings.effectiveClientId])
        attempt {
            try client.connect(
                host: settings.host, port: settings.port, keepaliveSeconds: settings.keepaliveSeconds,
                sessionExpirySeconds: settings.sessionExpirySeconds)
        }
    }

    private func reconnect() {
        attempt { try client.reconnect() }
    }

    private func attempt(_ connect: () throws -> Void) {
        condition.lock()
        link = .connecting(since: clock.now)
        condition.unlock()

        do {
            try connect()
        } catch {
            condition.lock()
            linkFailed(reason: "\(error)")
            condition.unlock()
        }
    }

    private func serviceConnection() {
        do {
            try client.loop(timeoutMilliseconds: 250)
        } catch {
            // Usually the disconnect callback has already moved the link on; if not (a failed TLS
            // handshake closes nothing), this does, and the next attempt closes the socket.
            condition.lock()
            if case .waiting = link {} else { linkFailed(reason: "\(error)") }
            condition.unlock()
        }
    }

    private func disconnectCleanly() {
        guard client.hasSocket else { return }
        client.disconnect()
        for _ in 0..<20 where client.hasSocket {
            try? client.loop(timeoutMilliseconds: 50)
        }
        logger.info("disconnected from the MQTT broker", ["broker": brokerName])
    }

    /// Under the lock: the link is down; batches in flight go back to the forwarder, and the next attempt
    /// waits out the back-off.
    private func linkFailed(reason: String?) {
        let wasConnected: Bool
        if case .connected = link { wasConnected = true } else { wasConnected = false }
        if let reason { lastError = reason }

        let delay = backoff.delayAfterFailure()
        link = .waiting(until: clock.now + .seconds(delay))

        let retry = DeliveryResult.retry(
            after: nil, reason: "the connection to the MQTT broker \(brokerName) dropped before every PUBACK arrived")
        let finished = tracker.abandonAll(with: retry)
        let metadata = ["broker": brokerName, "reason": lastError, "retry_in": String(format: "%.1fs", delay),
                        "batches_returned": String(finished.count)]
        if wasConnected {
            logger.warning("lost the connection to the MQTT broker", metadata)
        } else if backoff.failures == 1 {
            logger.warning("cannot connect to the MQTT broker", metadata)
        } else {
            logger.debug("cannot connect to the MQTT broker", metadata)
        }
        DispatchQueue.global().async { finished.forEach { $0.complete() } }
    }
}

// MARK: - libmosquitto's events, on the network thread

extension MQTTUpstream: MosquittoClientEvents {
    func clientConnected(reasonCode: Int32, sessionPresent: Bool) {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return }

        if reasonCode == 0 {
            link = .connected
            backoff.reset()
            logger.info("connected to the MQTT broker", ["broker": brokerName, "session_present": "\(sessionPresent)"])
        } else {
            // The broker closes the connection next; the disconnect event starts the back-off.
            refusal = "the broker refused the connection: \(MessageVerdict.reasonText(reasonCode))"
                + " (CONNACK reason 0x\(String(reasonCode, radix: 16)))"
        }
    }

    func clientDisconnected(code: Int32) {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return }

        switch link {
        case .connected:
            linkFailed(reason: "the connection closed: \(MosquittoError.text(for: code)) (code \(code))")
        case .connecting:
            // After a refused CONNACK the refusal, recorded just before, says more than the close.
            linkFailed(reason: refusal ?? "the connection attempt failed: \(MosquittoError.text(for: code))")
            refusal = nil
        case .waiting, .idle:
            break
        }
    }

    func clientAcknowledged(mid: Int32, reasonCode: Int32) {
        condition.lock()
        let finished = tracker.acknowledged(mid: mid, reasonCode: reasonCode)
        condition.unlock()
        finished?.complete()
    }
}
