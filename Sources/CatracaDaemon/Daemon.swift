#if canImport(Glibc)
import Glibc
#endif
import CatracaCore
import CatracaHTTP
import CatracaServer
import CatracaStore
import CatracaTerminal
import CatracaTurnstile
import CatracaUpstream
import CatracaWebSocket
import Foundation

/// The running daemon: the store's writer, the outbox's way upstream, the event loop, the terminals' server
/// and the operators' API, started in that order and stopped in reverse.
public final class Daemon: @unchecked Sendable {
    /// The configuration running; a reload replaces its live keys (see `ConfigurationChanges`). Changed only
    /// on the event loop.
    public private(set) var configuration: Configuration
    /// Every metric, served at `GET /metrics`; later parts of the daemon register theirs here.
    public let metrics: MetricsRegistry
    private let daemonMetrics: DaemonMetrics
    /// Tells systemd when the daemon is ready, reloading or stopping, and pings its watchdog.
    let serviceManagerNotifier: ServiceManagerNotifier
    /// Where the log level is changed on reload; nil when the caller's logger has a fixed level.
    let logLevel: LevelSwitchLogSink?
    /// Run in order after the daemon's own settings are applied on reload; used on the event loop only.
    var reloadHooks: [(name: String, hook: (Configuration) throws -> Void)] = []
    let logger: Logger
    private let timeSource: TimeSource
    private var writer: StoreWriter?
    private var upstream: Upstream?
    private(set) var loop: EventLoop?
    private(set) var gateway: TerminalGateway?
    private(set) var turnstiles: TurnstileService?
    private(set) var intercom: IntercomService?
    private(set) var plugins: PluginSupervisor?
    private var server: WebSocketServer?
    private var apiServer: HTTPServer?
    private var api: OperatorAPI?
    private var storeReads: StoreReads?
    /// What the status page's event streams are told; published to on the event loop.
    let operatorEvents = OperatorEvents()
    private var loopThread: Thread?
    private let stopped = DispatchSemaphore(value: 0)
    private var isStopping = false
    /// Guards `hasStarted` and `stopRequestedEarly`: a SIGTERM may come while `start` is still opening the
    /// store (the port is already logged by then), and must not be lost.
    private let startLock = NSLock()
    private var hasStarted = false
    private var stopRequestedEarly = false

    /// Asks whether this box's clock is synchronised before terminals' clocks are set from it.
    private let clockSynchronization: () -> SystemClock.Synchronization

    /// - Parameters:
    ///   - logLevel: the sink whose level a reload changes (the logger then writes at `.trace`); nil keeps
    ///     the logger's own level and reports a changed `log.level` as needing a restart.
    ///   - serviceManager: systemd's notify socket, from the environment by default.
    public init(configuration: Configuration, logger: Logger, timeSource: TimeSource = SystemTimeSource(),
                clockSynchronization: @escaping () -> SystemClock.Synchronization = SystemClock.synchronization,
                metrics: MetricsRegistry = MetricsRegistry(), logLevel: LevelSwitchLogSink? = nil,
                serviceManager: ServiceManagerNotifier = ServiceManagerNotifier()) {
        self.configuration = configuration
        self.metrics = metrics
        self.daemonMetrics = DaemonMetrics(registry: metrics)
        self.logLevel = logLevel
        self.serviceManagerNotifier = serviceManager
        self.logger = logger
        self.timeSource = timeSource
        self.clockSynchronization = clockSynchronization
    }

    /// The address terminals connect to (the real port when the config asked for port 0).
    public private(set) var terminalAddress: SocketAddress?

    /// The address phones and browsers connect to; nil when the intercom is off.
    public private(set) var phoneAddress: SocketAddress?

    /// The address of the operators' API (the real port when the config asked for port 0); nil when the
    /// API did not start.
    public private(set) var apiAddress: SocketAddress?

    /// Opens the store, starts listening and runs the event loop on its own thread.
    public func start() throws {
        let limit = OpenFilesLimit.raiseToMaximum()
        LargeAllocations.returnToTheSystemWhenFreed()
        logger.info("starting", [
            "site": configuration.site.name, "version": CatracaVersion.current, "open_files": "\(limit.soft)",
        ])

        // The port is taken before the store is opened, so that a daemon that cannot listen (the port is
        // in use) leaves no database behind; nothing is read from the port until the loop runs.
        let layout = try configuration.turnstileLayout()
        let joiner = try configuration.joinerConfiguration()
        let loop = try EventLoop(timeSource: timeSource)
        let server = try listen(on: loop)
        let apiServer: HTTPServer
        let writer: StoreWriter
        let token: String
        do {
            apiServer = try listenForOperators(on: loop)
            do {
                writer = try startStore(layout: layout)
                token = try resolveToken(stoppingOnFailure: writer)
                upstream = try makeUpstream(stoppingOnFailure: writer)
            } catch {
                apiServer.stopListening()
                throw error
            }
        } catch {
            server.stopListening()
            throw error
        }
        self.writer = writer
        self.loop = loop
        self.server = server
        self.apiServer = apiServer
        let gateway = TerminalGateway(
            loop: loop, writer: writer, sessionConfiguration: sessionConfiguration,
            commandConfiguration: commandConfiguration, registrationActions: configuration.commands.onRegistration,
            logger: logger.child(label: "terminals"), metrics: daemonMetrics
        )
        gateway.knownSerialNumbers = knownSerialNumbers()
        gateway.clockSynchronization = clockSynchronization
        gateway.events = operatorEvents
        self.gateway = gateway
        do {
            gateway.turnstiles = try startTurnstiles(loop: loop, writer: writer, layout: layout, joiner: joiner)
        } catch {
            apiServer.stopListening()
            server.stopListening()
            writer.stop()
            throw error
        }
        turnstiles = gateway.turnstiles
        turnstiles?.events = operatorEvents
        let outboxMetrics = upstream.map { OutboxMetrics(registry: metrics, upstream: $0, clock: timeSource) }
        upstream?.observe { [operatorEvents] observation in
            outboxMetrics?.count(observation)
            loop.execute { operatorEvents.publish(.outbox(observation)) }
        }
        do {
            gateway.intercom = try startIntercom(loop: loop, gateway: gateway, writer: writer, token: token)
        } catch {
            apiServer.stopListening()
            server.stopListening()
            turnstiles?.stop()
            writer.stop()
            throw error
        }
        intercom = gateway.intercom
        upstream?.start()
        startPlugins(loop: loop, gateway: gateway)
        startOperatorAPI(loop: loop, gateway: gateway, token: token)
        runLoop(loop)
        logger.info("ready", ["terminals": terminalAddress?.description ?? "-", "api": apiAddress?.description ?? "-",
                              "phones": phoneAddress?.description ?? "-"])
        tellServiceManagerReady(loop: loop)

        startLock.lock()
        hasStarted = true
        let stopNow = stopRequestedEarly
        startLock.unlock()
        if stopNow { loop.execute { [self] in beginStopping() } }
    }

    /// Replaces the running configuration; on the event loop, by a reload.
    func replaceConfiguration(_ running: Configuration) {
        configuration = running
    }

    /// Blocks until the daemon has stopped.
    public func wait() {
        stopped.wait()
        stopped.signal()
    }

    /// Stops in reverse order: no new connections, terminals closed normally, acknowledgements in
    /// flight finished, the store flushed. Safe to call from any thread, more than once.
    public func stop() {
        startLock.lock()
        guard hasStarted, let loop else {
            stopRequestedEarly = true
            startLock.unlock()
            return
        }
        startLock.unlock()
        loop.execute { [self] in beginStopping() }
    }

    // MARK: Starting

    private func startStore(layout: TurnstileLayout) throws -> StoreWriter {
        let path = configuration.store.path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw DaemonError.cannotCreateStoreFolder(folder: folder, reason: "\(error.localizedDescription)")
            }
        }
        let days = configuration.store.photoRetentionDays
        var writerConfiguration = StoreWriter.Configuration(
            photoRetention: days == 0 ? nil : .seconds(Double(days) * 86_400)
        )
        let maxAge = configuration.passages.grantMaxAgeSeconds
        writerConfiguration.grantTurnstile = TurnstileService.grantTurnstile(
            layout: layout, siteTime: configuration.siteTime, maxAge: maxAge == 0 ? nil : .seconds(maxAge))
        writerConfiguration.outboxPolicy = RecordOutboxPolicy(site: configuration.site.name,
                                                              includePhotos: configuration.upstream.includePhotos)
        writerConfiguration.commitLatency = daemonMetrics.storeCommitLatency
        writerConfiguration.failedCommitCounter = daemonMetrics.storeFailedCommits
        let writer = try StoreWriter(path: path, configuration: writerConfiguration,
                                     logger: logger.child(label: "store"), clock: timeSource)
        logger.info("store open", ["path": path])
        return writer
    }

    private func listen(on loop: EventLoop) throws -> WebSocketServer {
        let echoPath = configuration.webSocketEchoPath
        let echo = EchoHandler()
        guard let address = SocketAddress(parsing: configuration.terminals.listen) else {
            throw ConfigurationError(source: "configuration", key: "terminals.listen", problem: "not HOST:PORT")
        }
        var webSocketConfiguration = self.webSocketConfiguration
        if echoPath != nil {
            // The conformance suite sends 16 MiB messages and expects them echoed.
            webSocketConfiguration.maxMessageSize = max(webSocketConfiguration.maxMessageSize, 64 << 20)
        }
        let server = try WebSocketServer(
            loop: loop, address: address, configuration: webSocketConfiguration,
            budgetBytes: max(configuration.webSocket.bufferBudgetBytes, webSocketConfiguration.maxMessageSize * 2),
            logger: logger.child(label: "terminals")
        ) { [weak self] request in
            if let echoPath, request.path == echoPath { return echo }
            return self?.gateway?.makeHandler()
        }
        terminalAddress = server.localAddress
        logger.info("listening for terminals", ["listen": server.localAddress.description])
        if let echoPath {
            logger.warning("WebSocket echo endpoint enabled; for conformance tests only", ["path": echoPath])
        }
        return server
    }

    /// Takes the API's port; nothing is read from it until the loop runs, by when `api` is set.
    private func listenForOperators(on loop: EventLoop) throws -> HTTPServer {
        guard let address = SocketAddress(parsing: configuration.api.listen) else {
            throw ConfigurationError(source: "configuration", key: "api.listen", problem: "not HOST:PORT")
        }
        let server: HTTPServer
        do {
            server = try HTTPServer(
                loop: loop, address: address, logger: logger.child(label: "api"),
                errorResponse: { status, message in APIError.serverRefusal(status: status, message: message).response },
                headCheck: { [weak self] head, peer in
                    self?.api?.checkHead(head, peer: peer) ?? .refuse(APIError.unauthorized.response)
                }
            ) { [weak self] request, responder in
                // `api` is set before the loop runs, or the listener is closed by then: never nil here.
                self?.api?.handle(request, responder: responder)
            }
        } catch {
            throw DaemonError.cannotListenForOperators(address: address.description, reason: "\(error)")
        }
        apiAddress = server.localAddress
        logger.info("listening for operators", ["listen": server.localAddress.description])
        if !Daemon.isLoopback(address) {
            logger.warning("the operators' API listens beyond this box; anyone who can reach it and has the token "
                           + "can open doors and change users", ["listen": address.description])
        }
        return server
    }

    private static func isLoopback(_ address: SocketAddress) -> Bool {
        address.host.hasPrefix("127.") || address.host == "::1"
    }

    private func resolveToken(stoppingOnFailure writer: StoreWriter) throws -> String {
        do {
            return try APIToken.resolve(configuration.api, storePath: configuration.store.path,
                                        logger: logger.child(label: "api"))
        } catch {
            writer.stop()
            throw error
        }
    }

    private func makeUpstream(stoppingOnFailure writer: StoreWriter) throws -> Upstream {
        do {
            return try UpstreamAssembly.make(configuration, writer: writer, clock: timeSource,
                                             logger: logger.child(label: "upstream"))
        } catch {
            writer.stop()
            throw error
        }
    }

    private func startOperatorAPI(loop: EventLoop, gateway: TerminalGateway, token: String) {
        let reads = StoreReads(path: configuration.store.path, loop: loop)
        storeReads = reads
        let commands = OperatorCommands.protocolCommands(siteTime: configuration.siteTime,
                                                         wallClock: { loop.timeSource.wallClock })
        api = OperatorAPI(loop: loop, commander: gateway, turnstiles: gateway.turnstiles, reads: reads,
                          catalog: commands, token: token, storePath: configuration.store.path,
                          metrics: metrics) { [weak gateway] in
            OperatorAPI.DaemonFigures(unsavedRegistrations: gateway?.unsavedRegistrationCount ?? 0,
                                      batchesInFlight: gateway?.batchesInFlight ?? 0)
        }
        api?.upstream = upstream
        api?.statusPage = StatusPage(sessions: OperatorSessions(timeSource: loop.timeSource), events: operatorEvents,
                                     siteTime: configuration.siteTime, logger: logger.child(label: "api"))
        api?.plugins = plugins
    }

    /// Makes the plugin supervisor; its hosts start on the loop's first turn. Plugins' state lives beside the
    /// database (`plugins/<name>.sqlite`).
    private func startPlugins(loop: EventLoop, gateway: TerminalGateway) {
        let storeFolder = (configuration.store.path as NSString).deletingLastPathComponent
        let supervisor = PluginSupervisor(
            loop: loop, settings: configuration.plugins, storeFolder: storeFolder.isEmpty ? "." : storeFolder,
            timeZone: configuration.site.timeZone, logger: logger.child(label: "plugins"), metrics: metrics)
        supervisor.openDoor = { [weak gateway] sn, door, plugin in
            gateway?.openDoorForPlugin(sn: sn, door: door, plugin: plugin)
        }
        gateway.plugins = supervisor
        turnstiles?.passageClosed = { [weak supervisor] passage in supervisor?.tell(passage) }
        plugins = supervisor
        addReloadHook("plugins") { [weak supervisor] configuration in supervisor?.reload(configuration.plugins) }
        loop.execute { supervisor.start() }
    }

    /// The largest message a phone or browser may send (a two-track SDP offer is a few KiB).
    static let phoneMessageLimit = 256 * 1024

    /// Opens the phones' port when `intercom.listen` is set; nil otherwise.
    private func startIntercom(loop: EventLoop, gateway: TerminalGateway, writer: StoreWriter,
                               token: String) throws -> IntercomService? {
        guard let listen = configuration.intercom.listen else { return nil }
        guard let address = SocketAddress(parsing: listen) else {
            throw ConfigurationError(source: "configuration", key: "intercom.listen", problem: "not HOST:PORT")
        }
        let service = IntercomService(loop: loop, configuration: configuration, apiToken: token, gateway: gateway,
                                      writer: writer, logger: logger.child(label: "intercom"))
        // Phones send SDP and candidates, never records or photos: a small message limit keeps a stranger who
        // has not proved anything yet from holding much memory.
        var phoneWebSocket = webSocketConfiguration
        phoneWebSocket.maxMessageSize = Daemon.phoneMessageLimit
        phoneAddress = try service.listen(at: address, webSocket: phoneWebSocket,
                                          budgetBytes: Daemon.phoneMessageLimit * 64)
        return service
    }

    private func runLoop(_ loop: EventLoop) {
        let thread = Thread { [self] in
            loop.run()
            finishStopping()
        }
        thread.name = "catraca-event-loop"
        loopThread = thread
        thread.start()
    }

    /// Terminals registered on open connections now; on the event loop only.
    var connectedTerminalCount: Int { gateway?.directory.all.count ?? 0 }

    var sessionConfiguration: TerminalSessionConfiguration {
        var allowList: TerminalAllowList?
        if let entries = configuration.terminals.allowList {
            allowList = TerminalAllowList(entries: entries.mapValues { AllowedTerminal(pinnedAddress: $0.address) })
        }
        return TerminalSessionConfiguration(
            siteTime: configuration.siteTime, allowList: allowList, ackMessage: configuration.terminals.ackMessage,
            decidesAccess: true
        )
    }

    var commandConfiguration: CommandQueueConfiguration {
        let settings = configuration.commands
        return CommandQueueConfiguration(
            replyTimeout: .seconds(settings.replyTimeoutSeconds),
            unansweredWait: .seconds(settings.unansweredWaitSeconds),
            maxQueued: settings.maxQueuedPerTerminal, maxPages: settings.maxPages
        )
    }

    /// The terminals that registered before this start, so that a command to one of them while it is away
    /// says "offline", not "unknown".
    private func knownSerialNumbers() -> Set<String> {
        do {
            let reader = try StoreReader(path: configuration.store.path)
            defer { reader.close() }
            return Set(try reader.terminals().map(\.sn))
        } catch {
            logger.warning("known terminals not read; commands to absent ones will say unknown", ["error": "\(error)"])
            return []
        }
    }

    private var webSocketConfiguration: WebSocketConfiguration {
        let settings = configuration.webSocket
        var result = WebSocketConfiguration()
        result.maxMessageSize = settings.maxMessageBytes
        result.handshakeTimeout = .seconds(settings.handshakeTimeoutSeconds)
        result.pingInterval = .seconds(settings.pingIntervalSeconds)
        result.deadPeerTimeout = .seconds(settings.deadPeerTimeoutSeconds)
        result.messageTimeout = .seconds(settings.messageTimeoutSeconds)
        return result
    }

    /// Rebuilds what the turnstiles had open at the last stop, then opens their inputs (GPIO or simulated).
    private func startTurnstiles(loop: EventLoop, writer: StoreWriter, layout: TurnstileLayout,
                                 joiner: JoinerConfiguration) throws -> TurnstileService {
        let service = TurnstileService(loop: loop, writer: writer, layout: layout, joiner: joiner, metrics: metrics,
                                       logger: logger.child(label: "turnstiles"))
        let reader = try StoreReader(path: configuration.store.path)
        defer { reader.close() }
        try service.restore(from: reader)
        try service.startInputs(configuration.turnstiles)
        return service
    }

    // MARK: Stopping

    /// How long a stop waits for acknowledgements in flight and closing handshakes.
    private static let stopGrace = TimeSpan.seconds(3)

    private func beginStopping() {
        guard !isStopping, let loop, let server else { return }
        isStopping = true
        serviceManagerNotifier.stopping(status: "stopping: finishing acknowledgements, closing terminals")
        if let apiServer {
            apiServer.stopListening()
            apiServer.closeAll()
            logger.info("stopping: operators' API closed")
        }
        server.stopListening()
        turnstiles?.stop()
        // Calls end before the terminals' connections close, so that both sides hear the cancel.
        intercom?.stop()
        plugins?.stop()
        logger.info("stopping: no longer accepting terminals")
        let deadline = loop.timeSource.now + Daemon.stopGrace
        waitForAcknowledgements(until: deadline) { [self] in
            gateway?.writeSummary()
            logger.info("stopping: closing terminal connections", ["open": "\(server.connectionCount)"])
            server.closeAll(code: 1001, reason: "server stopping")
            waitForConnectionsToClose(until: deadline) {
                loop.stop()
            }
        }
    }

    private func waitForAcknowledgements(until deadline: Instant, then next: @escaping () -> Void) {
        guard let loop, let gateway else { return next() }
        if gateway.batchesInFlight == 0 || loop.timeSource.now >= deadline { return next() }
        loop.scheduleTimer(at: loop.timeSource.now + .milliseconds(10)) { [self] in
            waitForAcknowledgements(until: deadline, then: next)
        }
    }

    private func waitForConnectionsToClose(until deadline: Instant, then next: @escaping () -> Void) {
        guard let loop, let server else { return next() }
        if server.connectionCount == 0 || loop.timeSource.now >= deadline { return next() }
        loop.scheduleTimer(at: loop.timeSource.now + .milliseconds(10)) { [self] in
            waitForConnectionsToClose(until: deadline, then: next)
        }
    }

    private func finishStopping() {
        plugins?.reapStopped()
        storeReads?.close()
        if let upstream {
            upstream.stop()
            logger.info("stopping: upstream stopped")
        }
        logger.info("stopping: flushing the store")
        writer?.stop()
        logger.info("stopped")
        stopped.signal()
    }
}

/// Why the daemon could not start.
public enum DaemonError: Error, CustomStringConvertible {
    case cannotCreateStoreFolder(folder: String, reason: String)
    case cannotListenForOperators(address: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreateStoreFolder(let folder, let reason):
            return "cannot create the store's folder \(folder): \(reason); create it or choose another with --db"
        case .cannotListenForOperators(let address, let reason):
            return "cannot listen for the operators' API on \(address): \(reason); stop what uses the port or "
                + "choose another with api.listen or --api-listen"
        }
    }
}

/// The version that `catraca version` and the start-up line report.
public enum CatracaVersion {
    public static let current = "0.1.0"
}
