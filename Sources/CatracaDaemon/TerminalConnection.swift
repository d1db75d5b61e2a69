import CatracaCore
import CatracaHTTP
import CatracaServer
import CatracaStore
import CatracaTerminal

/// One terminal's connection: feeds its messages to its session and carries out the session's effects.
final class TerminalConnection: WebSocketHandler {
    private unowned let gateway: TerminalGateway
    private var channel: WebSocketChannel?
    private var session: TerminalSession?
    private(set) var batchesInFlight = 0
    /// The terminal's server commands; there once it has registered.
    private(set) var commands: TerminalCommandRunner?
    private var isClosed = false
    /// Per batch, what the store and the site's rules said, until both have: a record's grant reaches the
    /// turnstiles only when the rules did not refuse it, so a refused person's turn is an unauthorised rotation.
    private var grantGate: [UInt64: (outcome: BatchOutcome?, refused: Bool?, batch: RecordBatch?)] = [:]

    init(gateway: TerminalGateway) {
        self.gateway = gateway
    }

    private var logger: Logger { gateway.logger }
    private var metrics: DaemonMetrics { gateway.metrics }

    func channelDidOpen(_ channel: WebSocketChannel, request: HTTPRequestHead) {
        self.channel = channel
        session = TerminalSession(
            peerAddress: channel.peer.host, configuration: gateway.sessionConfiguration,
            timeSource: gateway.loop.timeSource,
            logger: logger.child(label: "terminal", metadata: ["peer": channel.peer.description])
        )
        gateway.connectionOpened(self, id: channel.id)
        logger.debug("terminal connected", ["peer": channel.peer.description, "path": request.target])
    }

    func channel(_ channel: WebSocketChannel, didReceiveText text: [UInt8]) {
        guard let session else { return }
        let refusedBefore = session.refusedRegistrations
        perform(session.receive(text: text), messageBytes: text.count)
        if session.refusedRegistrations > refusedBefore {
            metrics.registrations.increment(by: Double(session.refusedRegistrations - refusedBefore),
                                            labels: ["refused"])
        }
    }

    func channel(_ channel: WebSocketChannel, didReceiveBinary bytes: [UInt8]) {
        logger.debug("binary message ignored; terminals send JSON text", ["sn": sn, "bytes": "\(bytes.count)"])
    }

    func channelDidClose(_ channel: WebSocketChannel, code: UInt16, reason: String) {
        isClosed = true
        // The channel holds this handler and this handler the channel: let go, or both outlive the connection
        // with whatever the channel still buffers.
        self.channel = nil
        commands?.terminalDisconnected()
        commands = nil
        gateway.connectionClosed(id: channel.id)
        let level: LogLevel = session?.serialNumber == nil ? .debug : .info
        logger.log(level, "terminal disconnected", [
            "sn": sn, "peer": channel.peer.description, "code": "\(code)", "reason": reason,
        ])
    }

    func close(code: UInt16, reason: String) {
        channel?.close(code: code, reason: reason)
    }

    /// Writes a message now, outside the command queue (intercom signaling).
    func sendText(_ bytes: [UInt8]) {
        channel?.sendText(bytes)
    }

    private var sn: String { session?.serialNumber ?? "-" }

    /// - Parameter messageBytes: the size of the message the effects came from; a batch to store counts
    ///   that much against the connection's buffer budget until it is committed.
    private func perform(_ effects: [TerminalEffect], messageBytes: Int = 0) {
        for effect in effects {
            switch effect {
            case .send(let bytes):
                channel?.sendText(bytes)
            case .register(let registration):
                register(registration)
            case .store(let batch):
                store(batch, weight: messageBytes)
            case .reply(let message):
                takeReply(message)
            case .decide(let question):
                decide(question)
            }
        }
    }

    /// Puts the session's question to the plugins and hands it their answer; without plugins, the answer
    /// (nothing to object) comes at once.
    private func decide(_ question: AccessQuestion) {
        let plugins = gateway.plugins
        switch question {
        case .registration(let registration):
            guard let plugins else { return answer { $0.registrationDecided(registration, verdict: nil) } }
            plugins.decideRegistration(registration) { [weak self] verdict in
                self?.answer { $0.registrationDecided(registration, verdict: verdict) }
            }
        case .records(let batchID, let records):
            guard let plugins else {
                grantsDecided(batchID: batchID, refused: false)
                return answer { $0.recordsDecided(batchID: batchID, verdict: nil) }
            }
            plugins.decideRecords(records) { [weak self] verdict in
                self?.grantsDecided(batchID: batchID, refused: verdict.map { !$0.access } ?? false)
                self?.answer { $0.recordsDecided(batchID: batchID, verdict: verdict) }
            }
        case .qrcode(let id, let sn, let code):
            guard let plugins else {
                let verdict = AccessVerdict(access: false, message: "Unknown QR code")
                return answer { $0.qrcodeDecided(id: id, verdict: verdict) }
            }
            plugins.decideQRCode(sn: sn, code: code) { [weak self] verdict, resent in
                self?.qrcodeAnswered(id: id, sn: sn, verdict: verdict, resent: resent)
            }
        }
    }

    /// Tells the terminal the rules' answer; an accepted code (not a resend) is a grant at its turnstile.
    private func qrcodeAnswered(id: UInt64, sn: String, verdict: AccessVerdict, resent: Bool) {
        guard let session, !isClosed else { return }
        let effects = session.qrcodeDecided(id: id, verdict: verdict)
        if verdict.access && !resent && !effects.isEmpty {
            gateway.turnstiles?.qrcodeAllowed(sn: sn, enrollid: verdict.enrollid, name: verdict.username)
        }
        perform(effects)
    }

    /// Carries out what the session answers once a decision came, unless the terminal has gone.
    private func answer(_ decided: (TerminalSession) -> [TerminalEffect]) {
        guard let session, !isClosed else { return }
        perform(decided(session))
    }

    private func register(_ registration: TerminalRegistration) {
        guard let channel else { return }
        gateway.claim(sn: registration.sn, connection: channel.id, address: channel.peer)
        logger.info("terminal registered", ["sn": registration.sn, "peer": channel.peer.description])
        gateway.events?.publish(.terminalOnline(
            sn: registration.sn, address: channel.peer.host,
            firmware: TerminalClockDrift.firmware(devinfoJSON: registration.devinfoJSON),
            clockDriftSeconds: TerminalClockDrift.seconds(devinfoJSON: registration.devinfoJSON,
                                                          siteTime: gateway.sessionConfiguration.siteTime,
                                                          boxTime: registration.seenAt)))
        if session?.registeredByReg == true { metrics.registrations.increment(labels: ["accepted"]) }
        gateway.save(registration)
        if commands == nil { commands = makeCommandRunner(sn: registration.sn) }
        // A sendlog before reg registers the terminal too; the registration actions wait for its reg.
        if session?.registeredByReg == true {
            gateway.terminalRegistered(sn: registration.sn, commands: commands)
        }
        gateway.intercom?.terminalRegistered(sn: registration.sn, byReg: session?.registeredByReg == true)
    }

    private func grantsDecided(batchID: UInt64, refused: Bool) {
        var entry = grantGate[batchID] ?? (nil, nil, nil)
        entry.refused = refused
        grantGate[batchID] = entry
        releaseGrants(batchID)
    }

    private func grantsStored(_ batch: RecordBatch, outcome: BatchOutcome) {
        var entry = grantGate[batch.id] ?? (nil, nil, nil)
        entry.outcome = outcome
        entry.batch = batch
        grantGate[batch.id] = entry
        releaseGrants(batch.id)
    }

    /// Hands the batch's grants to the turnstiles once the store and the rules have both answered.
    private func releaseGrants(_ batchID: UInt64) {
        guard let entry = grantGate[batchID], let outcome = entry.outcome, let batch = entry.batch,
              let refused = entry.refused else { return }
        grantGate[batchID] = nil
        if refused {
            gateway.turnstiles?.grantsWithdrawn(outcome)
        } else {
            gateway.turnstiles?.recordsStored(batch, outcome: outcome)
        }
    }

    private func makeCommandRunner(sn: String) -> TerminalCommandRunner {
        let queue = CommandQueue(sn: sn, configuration: gateway.commandConfiguration,
                                 timeSource: gateway.loop.timeSource, logger: logger)
        return TerminalCommandRunner(
            queue: queue, loop: gateway.loop, writer: gateway.writer, logger: logger, metrics: metrics,
            send: { [weak self] bytes in self?.channel?.sendText(bytes) },
            makeBatch: { [weak self] entries in self?.session?.listedRecords(entries) },
            // Records a listing brings back happened while nobody watched the turnstile: no window for them.
            pageStored: { [weak gateway] outcome in gateway?.turnstiles?.grantsWithdrawn(outcome) }
        )
    }

    private func takeReply(_ message: TerminalMessage) {
        // Intercom signaling is relayed at once; it never waits behind a command.
        if let sn = session?.serialNumber, gateway.intercom?.terminalSent(message, sn: sn) == true { return }
        if commands?.receive(message) == true { return }
        let tag = message.kind == .reply ? "ret" : "cmd"
        logger.debug("terminal message answers no waiting command; ignored", ["sn": sn, tag: message.name])
    }

    private func store(_ batch: RecordBatch, weight: Int) {
        batchesInFlight += 1
        channel?.adjustHeldBytes(by: weight)
        metrics.countReceived(batch)
        let loop = gateway.loop
        let arrivedAt = loop.timeSource.now
        gateway.writer.submit(batch) { [weak self] result in
            loop.execute { self?.batchCommitted(batch, weight: weight, arrivedAt: arrivedAt, result: result) }
        }
    }

    /// - Parameter arrivedAt: when the batch came in; the acknowledgement's latency is counted from it.
    ///   An acknowledgement held back for an earlier batch of the same terminal is counted when its own
    ///   commit is answered, a little before it is written.
    private func batchCommitted(_ batch: RecordBatch, weight: Int, arrivedAt: Instant,
                                result: Result<BatchOutcome, StoreError>) {
        batchesInFlight -= 1
        channel?.adjustHeldBytes(by: -weight)
        guard let session, !isClosed else { return }
        switch result {
        case .success(let outcome):
            gateway.summary.add(batch, outcome)
            metrics.countStored(outcome)
            logger.debug("records stored", [
                "sn": batch.sn, "count": "\(batch.records.count + batch.quarantined.count)",
                "new": "\(outcome.inserted)", "duplicates": "\(outcome.duplicates)",
                "quarantined": "\(outcome.quarantined)",
            ])
            gateway.events?.publish(.recordsStored(sn: batch.sn, inserted: outcome.inserted,
                                                   duplicates: outcome.duplicates, quarantined: outcome.quarantined))
            grantsStored(batch, outcome: outcome)
            perform(session.batchStored(id: batch.id, outcome: outcome))
            metrics.acknowledgementLatency.observe(gateway.loop.timeSource.now.since(arrivedAt).seconds)
        case .failure(let error):
            grantGate[batch.id] = nil
            logger.debug("records not stored; not acknowledged", ["sn": batch.sn, "error": "\(error)"])
            perform(session.batchFailed(id: batch.id, error: error))
        }
    }
}
