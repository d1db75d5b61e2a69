#if canImport(Glibc)
import Glibc
#endif
import CatracaCore
import CatracaJSON
import CatracaPlugins
import CatracaServer
import CatracaStore
import CatracaTerminal
import Foundation

/// The site's rule plugins: one supervised `catraca-plugin-host` per library in `plugins.directory`, asked in
/// parallel and their answers composed in `plugins.order` (`DecisionComposition`), on the event loop.
///
/// A terminal's resend gets the decision its first send got without asking again: records by their identity
/// for `plugins.recordMemorySeconds`, QR codes by terminal and code for `plugins.qrcodeResendSeconds`. A
/// decision in which a fallback took part is not remembered.
///
/// Which plugins have a say: a plugin whose `open` succeeded at least once in this daemon's life is *in force*
/// for as long as its library stays in the directory. While it is not running (restarting after a crash or a
/// passed deadline, restarting for a reload, refused after a reload) it is still asked: its calls wait for it
/// to open within their deadline, or get the fallback. So a reload never lets a rule be skipped. A plugin that
/// never opened (library refused, `open` returned NULL or crashes) has no say; after
/// `PluginHostProcess.maxFailedStarts` failed starts in a row it is refused until the next reload.
final class PluginSupervisor {
    private let loop: EventLoop
    private let logger: Logger
    private let metrics: PluginMetrics
    private let storeFolder: String
    private let timeZone: String?
    private var settings: Configuration.Plugins
    private var composition: DecisionComposition
    private var hosts: [PluginHostProcess] = []
    /// The plugins in force, by library path: the name and hooks they opened with last.
    private var inForce: [String: (name: String, hooks: Set<PluginHook>)] = [:]
    /// Hosts told to stop and not reaped yet.
    private var stoppingHosts: Set<pid_t> = []
    private var recordMemory: ResendMemory<RecordIdentity, AccessVerdict?>
    private var qrcodeMemory: ResendMemory<String, AccessVerdict>
    /// Asks a terminal to open a door for a plugin (`open_door`); set by the daemon.
    var openDoor: (_ sn: String, _ door: Int, _ plugin: String) -> Void = { _, _, _ in }

    init(loop: EventLoop, settings: Configuration.Plugins, storeFolder: String, timeZone: String?, logger: Logger,
         metrics: MetricsRegistry) {
        self.loop = loop
        self.settings = settings
        self.storeFolder = storeFolder
        self.timeZone = timeZone
        self.logger = logger
        self.metrics = PluginMetrics(registry: metrics)
        composition = PluginSupervisor.composition(settings)
        recordMemory = ResendMemory(lifetime: .seconds(settings.recordMemorySeconds))
        qrcodeMemory = ResendMemory(lifetime: .seconds(settings.qrcodeResendSeconds))
    }

    private static func composition(_ settings: Configuration.Plugins) -> DecisionComposition {
        DecisionComposition(fallback: PluginFallback(rawValue: settings.fallback) ?? .deny,
                            fallbackMessage: settings.fallbackMessage,
                            unrecognisedQRCodeMessage: settings.unknownQRCodeMessage)
    }

    // MARK: Loading

    /// Starts a host for every library in the directory.
    func start() {
        rescan()
    }

    /// Takes new settings (SIGHUP), then rescans: new libraries start, removed ones stop, replaced files and
    /// plugins whose settings changed restart, refused ones are tried again; the others keep running.
    func reload(_ newSettings: Configuration.Plugins) {
        let restartAll = newSettings.hostPath != settings.hostPath || newSettings.deadlineMilliseconds
            != settings.deadlineMilliseconds || newSettings.directory != settings.directory
        let changedSettings = Set(newSettings.settings.keys).union(settings.settings.keys)
            .filter { newSettings.settings[$0] != settings.settings[$0] }
        settings = newSettings
        composition = PluginSupervisor.composition(newSettings)
        if recordMemory.lifetime.seconds != newSettings.recordMemorySeconds {
            recordMemory = ResendMemory(lifetime: .seconds(newSettings.recordMemorySeconds))
        }
        if qrcodeMemory.lifetime.seconds != newSettings.qrcodeResendSeconds {
            qrcodeMemory = ResendMemory(lifetime: .seconds(newSettings.qrcodeResendSeconds))
        }
        for host in hosts where restartAll || changedSettings.contains(host.name) { retire(host) }
        hosts.removeAll { $0.state == .stopped }
        rescan()
    }

    /// Compares the directory with the hosts running and starts, stops and restarts to match.
    func rescan() {
        let directory = settings.resolvedDirectory
        let libraries = PluginSupervisor.libraries(in: directory)
        if libraries.isEmpty {
            logger.info("no plugins loaded", ["directory": directory])
        }
        var kept: [PluginHostProcess] = []
        for host in hosts {
            let replaced = PluginFileStamp(path: host.libraryPath) != host.fileStamp
            if !libraries.contains(host.libraryPath) || replaced || host.state == .refused {
                retire(host)
            } else {
                kept.append(host)
            }
        }
        hosts = kept
        inForce = inForce.filter { libraries.contains($0.key) }
        let missingHost = missingHostReason(libraries: libraries)
        for path in libraries where !hosts.contains(where: { $0.libraryPath == path }) {
            let host = PluginHostProcess(libraryPath: path, environment: environment, inForceAs: inForce[path])
            hosts.append(host)
            if let missingHost {
                host.refuseWithoutStarting(reason: missingHost)
            } else {
                host.start()
            }
        }
    }

    /// Why no host can be started (the host executable is missing or not executable), logged once; nil when
    /// it is there or there is no library to start it for.
    private func missingHostReason(libraries: [String]) -> String? {
        let hostPath = settings.resolvedHostPath
        guard !libraries.isEmpty, !FileManager.default.isExecutableFile(atPath: hostPath) else { return nil }
        let reason = "plugin host executable \(hostPath) is missing or not executable"
        logger.error("no plugins loaded: \(reason); install catraca-plugin-host beside catraca "
                     + "(scripts/install.sh does) or set plugins.hostPath, then reload",
                     ["host_path": hostPath, "plugins": "\(libraries.count)", "directory": settings.resolvedDirectory])
        return reason
    }

    /// Stops every host (the daemon is stopping); `reapStopped` collects them.
    func stop() {
        for host in hosts { retire(host) }
        hosts = []
    }

    /// Stops `host`; it has a grace period to run its plugin's `close`, then is killed.
    private func retire(_ host: PluginHostProcess) {
        guard let pid = host.stop() else { return }
        stoppingHosts.insert(pid)
        loop.scheduleTimer(at: loop.timeSource.now + PluginSupervisor.closeGrace) { [weak self] in
            self?.reap(pid, force: true)
        }
    }

    /// How long a stopped host may take to close its plugin.
    static let closeGrace = TimeSpan.milliseconds(1_000)

    private func reap(_ pid: pid_t, force: Bool) {
        guard stoppingHosts.remove(pid) != nil else { return }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
    }

    /// Collects (killing if needed) every stopped host; after the loop has ended, from the stopping thread.
    func reapStopped() {
        for pid in stoppingHosts { reap(pid, force: true) }
    }

    /// The `*.so` files of `directory`, by name; none when it does not exist.
    static func libraries(in directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".so") }.sorted().map { directory + "/" + $0 }
            .filter { path in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
            }
    }

    private var environment: PluginHostProcess.Environment {
        PluginHostProcess.Environment(
            loop: loop, logger: logger, hostPath: settings.resolvedHostPath,
            deadline: .seconds(settings.deadlineMilliseconds / 1000), metrics: metrics,
            openFor: { [weak self] name, host in self?.openMessage(name: name, for: host) },
            opened: { [weak self] host in self?.inForce[host.libraryPath] = (host.name, host.hooks) },
            openDoor: { [weak self] sn, door, plugin in self?.openDoor(sn, door, plugin) }
        )
    }

    private func openMessage(name: String, for host: PluginHostProcess) -> PluginDaemonMessage? {
        guard !hosts.contains(where: { $0 !== host && $0.name == name && $0.state != .refused }) else { return nil }
        let store = storeFolder + "/plugins/" + name + ".sqlite"
        return .open(settingsJSON: settings.settings[name] ?? "{}", storePath: store, timeZone: timeZone)
    }

    /// The hosts in composition order: those named in `plugins.order` first, in its order; the rest by name.
    var ordered: [PluginHostProcess] {
        let order = settings.order
        func rank(_ host: PluginHostProcess) -> Int {
            order.firstIndex(of: host.name) ?? order.firstIndex(of: PluginHostProcess.stem(of: host.libraryPath))
                ?? order.count
        }
        return hosts.sorted { (rank($0), $0.name) < (rank($1), $1.name) }
    }

    // MARK: Questions

    /// Puts a terminal's registration to the plugins; nil is no objection.
    func decideRegistration(_ registration: TerminalRegistration, completion: @escaping (AccessVerdict?) -> Void) {
        ask(.register, PluginCallArguments.registration(registration)) { [composition] answers in
            completion(composition.compose(answers, hook: .register).verdict)
        }
    }

    /// Puts each record to the plugins (resends get their remembered decision) and combines the verdicts
    /// (`DecisionComposition.combine`).
    func decideRecords(_ records: [AccessRecord], completion: @escaping (AccessVerdict?) -> Void) {
        var verdicts = [AccessVerdict?](repeating: nil, count: records.count)
        var waiting = 0
        var asking: [(Int, AccessRecord)] = []
        let now = loop.timeSource.now
        for (index, record) in records.enumerated() {
            if let remembered = recordMemory.recall(record.identity, now: now) {
                verdicts[index] = remembered
            } else {
                asking.append((index, record))
            }
        }
        guard !asking.isEmpty else { return completion(DecisionComposition.combine(verdicts)) }

        waiting = asking.count
        for (index, record) in asking {
            ask(.record, PluginCallArguments.record(record)) { [weak self, composition] answers in
                let outcome = composition.compose(answers, hook: .record)
                verdicts[index] = outcome.verdict
                if !outcome.usedFallback, let self {
                    self.recordMemory.remember(record.identity, outcome.verdict, now: self.loop.timeSource.now)
                }
                waiting -= 1
                if waiting == 0 { completion(DecisionComposition.combine(verdicts)) }
            }
        }
    }

    /// Puts a QR code to the plugins; the same code from the same terminal shortly after gets the same answer,
    /// with `resent` true (a resend is no new visitor: it opens no grant of its own).
    func decideQRCode(sn: String, code: String,
                      completion: @escaping (_ verdict: AccessVerdict, _ resent: Bool) -> Void) {
        let key = sn + "\u{0}" + code
        if let remembered = qrcodeMemory.recall(key, now: loop.timeSource.now) {
            logger.debug("QR code resent; first decision repeated", ["sn": sn])
            return completion(remembered, true)
        }
        ask(.qrcode, PluginCallArguments.qrcode(sn: sn, code: code)) { [weak self, composition] answers in
            let outcome = composition.compose(answers, hook: .qrcode)
            let verdict = outcome.verdict
                ?? AccessVerdict(access: false, message: composition.unrecognisedQRCodeMessage)
            if !outcome.usedFallback, let self {
                self.qrcodeMemory.remember(key, verdict, now: self.loop.timeSource.now)
            }
            completion(verdict, false)
        }
    }

    /// Tells the plugins of a passage or an unauthorised rotation; nothing is waited for.
    func tell(_ passage: PassageRow) {
        let hook: PluginHook = passage.outcome == "unauthorised_rotation" ? .unauthorisedRotation : .passage
        let event = PluginPassage(turnstile: passage.turnstile, outcome: passage.outcome, side: passage.side,
                                  sn: passage.sn, enrollid: passage.enrollid, json: PluginSupervisor.json(passage))
        ask(hook, PluginCallArguments.passage(event)) { _ in }
    }

    /// Calls `hook` on every plugin that has a say and has the hook, at once; `completion` gets the answers in
    /// composition order, at once when no plugin has the hook.
    private func ask(_ hook: PluginHook, _ arguments: JSONValue, completion: @escaping ([PluginAnswer]) -> Void) {
        let asked = ordered.filter { PluginSupervisor.hasSay($0) && $0.hooks.contains(hook) }
        guard !asked.isEmpty else { return completion([]) }
        var answers = [PluginAnswer?](repeating: nil, count: asked.count)
        var waiting = asked.count
        for (index, host) in asked.enumerated() {
            host.call(hook, arguments: arguments) { answer in
                answers[index] = answer
                waiting -= 1
                if waiting == 0 { completion(answers.map { $0! }) }
            }
        }
    }

    /// A running plugin has its say; one that is not running has it only when it is in force.
    static func hasSay(_ host: PluginHostProcess) -> Bool {
        host.state != .stopped && (host.state == .running || host.inForce)
    }

    /// The passage as plugins get it: the fields of the outbox's passage payload, without its store id.
    private static func json(_ passage: PassageRow) -> String {
        var object: JSONObject = ["turnstile": .string(passage.turnstile), "outcome": .string(passage.outcome),
                                  "turned_against_grant": .bool(passage.turnedAgainstGrant)]
        if let direction = passage.direction { object["direction"] = .string(direction) }
        if let side = passage.side { object["side"] = .string(side) }
        if let kind = passage.grantKind { object["grant"] = .string(kind) }
        if let sn = passage.sn { object["sn"] = .string(sn) }
        if let enrollid = passage.enrollid { object["enrollid"] = .number(JSONNumber(enrollid)) }
        if let recordID = passage.recordID { object["record_id"] = .number(JSONNumber(recordID)) }
        return JSONWriter().text(.object(object))
    }

    // MARK: Reporting

    /// `GET /v1/plugins` and the `plugins` of `/v1/status`, in composition order.
    var listing: [JSONValue] {
        ordered.map { host in
            [
                "name": .string(host.name), "version": .string(host.version), "library": .string(host.libraryPath),
                "state": .string(host.state.rawValue), "restarts": .integer(host.restarts),
                "last_error": host.lastError.map(JSONValue.string) ?? .null, "slow_calls": .integer(host.slowCalls),
                "calls": .integer(host.calls),
                "hooks": .array(PluginHook.allCases.filter(host.hooks.contains).map { .string($0.rawValue) }),
            ]
        }
    }

    /// The directory scanned, for the listing.
    var directory: String { settings.resolvedDirectory }
}
