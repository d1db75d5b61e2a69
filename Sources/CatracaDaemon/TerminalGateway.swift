import CatracaCore
import CatracaHTTP
import CatracaServer
import CatracaStore
import CatracaTerminal

/// Serves terminals: one `TerminalSession` per WebSocket connection, records handed to the store's
/// single writer, and acknowledgements sent once the store says they are committed.
///
/// Lives on the event loop; the store's completions hop back to it.
final class TerminalGateway {
    let loop: EventLoop
    let writer: StoreWriter
    let logger: Logger
    let metrics: DaemonMetrics
    /// How new connections' sessions answer; replaced on reload (connections already open keep theirs).
    var sessionConfiguration: TerminalSessionConfiguration
    /// Timeouts and limits of new connections' command queues; replaced on reload.
    var commandConfiguration: CommandQueueConfiguration
    /// What is done when a terminal registers; replaced on reload.
    var registrationActions: Configuration.OnRegistration
    /// Asks whether this box's clock is synchronised; replaced in tests.
    var clockSynchronization: () -> SystemClock.Synchronization = SystemClock.synchronization
    /// Every serial number that has ever registered here, to tell an unknown terminal from an offline one.
    var knownSerialNumbers: Set<String> = []
    /// Joins grants from stored records (and operators' open-doors) with the turnstiles' turns.
    var turnstiles: TurnstileService?
    /// Where terminals coming and going and records stored are announced to the status page.
    var events: OperatorEvents?
    /// Relays terminals' intercom signaling; nil when the intercom is off.
    var intercom: IntercomService?
    /// The site's rule plugins, asked before registrations, records and QR codes are answered.
    var plugins: PluginSupervisor?
    var directory = TerminalDirectory()
    private(set) var connections: [UInt64: TerminalConnection] = [:]
    /// Registrations the store could not take yet, by serial number; retried until saved.
    private var unsavedRegistrations: [String: TerminalRegistration] = [:]
    private var registrationRetry: TimerHandle?
    /// What was stored since the last summary line, and since when.
    var summary = StoredRecordsSummary()
    private var summaryStartedAt: Instant

    /// How often the info-level line about stored records is written (one line per batch would flood
    /// the journal when terminals send their backlog after an outage; each batch is logged at debug).
    static let summaryInterval = TimeSpan.seconds(60)

    /// How often connected terminals' `last_seen` is moved forward: an idle terminal that only answers
    /// pings is still there, and a listing should say so.
    static let seenInterval = TimeSpan.seconds(300)

    /// How long to wait before saving registrations again after the store refused them.
    static let registrationRetryInterval = TimeSpan.seconds(5)

    init(loop: EventLoop, writer: StoreWriter, sessionConfiguration: TerminalSessionConfiguration,
         commandConfiguration: CommandQueueConfiguration = CommandQueueConfiguration(),
         registrationActions: Configuration.OnRegistration = Configuration.OnRegistration(), logger: Logger,
         metrics: DaemonMetrics) {
        self.loop = loop
        self.metrics = metrics
        self.writer = writer
        self.sessionConfiguration = sessionConfiguration
        self.commandConfiguration = commandConfiguration
        self.registrationActions = registrationActions
        self.logger = logger
        summaryStartedAt = loop.timeSource.now
        scheduleSummary()
        scheduleSeenNotes()
    }

    private func scheduleSeenNotes() {
        loop.scheduleTimer(at: loop.timeSource.now + TerminalGateway.seenInterval) { [weak self] in
            self?.noteConnectedTerminalsSeen()
            self?.scheduleSeenNotes()
        }
    }

    private func noteConnectedTerminalsSeen() {
        let now = loop.timeSource.wallClock
        for terminal in directory.all { writer.submitSeen(sn: terminal.sn, at: now) }
    }

    private func scheduleSummary() {
        loop.scheduleTimer(at: loop.timeSource.now + TerminalGateway.summaryInterval) { [weak self] in
            self?.writeSummary()
            self?.scheduleSummary()
        }
    }

    /// One info line for the records stored since the last one; none when nothing came.
    func writeSummary() {
        let now = loop.timeSource.now
        defer { summaryStartedAt = now }
        guard summary.batches > 0 else { return }
        let seconds = Int(now.since(summaryStartedAt).seconds.rounded())
        logger.info("records stored", summary.metadata(over: .seconds(Double(seconds))))
        summary = StoredRecordsSummary()
    }

    /// A handler for a new terminal connection.
    func makeHandler() -> WebSocketHandler {
        TerminalConnection(gateway: self)
    }

    /// Batches handed to the store and not yet answered, over all connections.
    var batchesInFlight: Int { connections.values.reduce(0) { $0 + $1.batchesInFlight } }

    func connectionOpened(_ connection: TerminalConnection, id: UInt64) {
        connections[id] = connection
        metrics.terminalConnections.set(Double(connections.count))
    }

    func connectionClosed(id: UInt64) {
        connections[id] = nil
        metrics.terminalConnections.set(Double(connections.count))
        if let sn = directory.release(connection: ConnectionID(id)) {
            // The last moment the terminal was there; its row would otherwise show when it registered.
            writer.submitSeen(sn: sn, at: loop.timeSource.wallClock)
            events?.publish(.terminalOffline(sn: sn))
            intercom?.terminalDisconnected(sn: sn)
        }
    }

    /// Saves a terminal's registration (devinfo, address, when seen). The terminal already got its
    /// answer, so a registration the store refuses (disk full, locked) is kept and tried again until it
    /// is saved, also after the terminal has gone; a newer one for the same serial number replaces it.
    func save(_ registration: TerminalRegistration) {
        if let unsaved = unsavedRegistrations[registration.sn], unsaved.seenAt <= registration.seenAt {
            unsavedRegistrations[registration.sn] = nil
        }
        writer.submit(registration) { [weak self, loop] result in
            guard case .failure(let error) = result else { return }
            loop.execute { self?.keepUnsaved(registration, error: error) }
        }
    }

    private func keepUnsaved(_ registration: TerminalRegistration, error: StoreError) {
        if let newer = unsavedRegistrations[registration.sn], newer.seenAt > registration.seenAt { return }
        unsavedRegistrations[registration.sn] = registration
        logger.debug("terminal details not saved yet; trying again", ["sn": registration.sn, "error": "\(error)"])
        guard registrationRetry == nil else { return }
        registrationRetry = loop.scheduleTimer(at: loop.timeSource.now + TerminalGateway.registrationRetryInterval) {
            [weak self] in self?.retryUnsavedRegistrations()
        }
    }

    private func retryUnsavedRegistrations() {
        registrationRetry = nil
        let pending = unsavedRegistrations.values
        unsavedRegistrations.removeAll()
        for registration in pending { save(registration) }
    }

    /// Registrations waiting to be saved again.
    var unsavedRegistrationCount: Int { unsavedRegistrations.count }

    /// Gives the serial number to the connection that registered last and closes the older one.
    func claim(sn: String, connection: UInt64, address: SocketAddress) {
        knownSerialNumbers.insert(sn)
        let claim = directory.claim(sn: sn, connection: ConnectionID(connection), address: address.host)
        guard let previous = claim.displaced, previous.rawValue != connection else { return }
        let context = ["sn": sn, "address": address.host, "previous": claim.displacedAddress ?? "unknown"]
        if claim.fromDifferentAddress {
            logger.warning("serial number taken over from another address; check for a device claiming it", context)
        } else {
            logger.info("terminal reconnected; closing its older connection", context)
        }
        connections[previous.rawValue]?.close(code: 4000, reason: "replaced by a newer connection")
    }
}
