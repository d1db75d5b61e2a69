#if canImport(Glibc)
import Glibc
#endif
import CSystem
import CatracaCore
import CatracaJSON
import CatracaPlugins
import CatracaServer
import Foundation

/// One plugin library's supervised `catraca-plugin-host` process, on the event loop.
///
/// Its socket is non-blocking and on the loop; calls go one at a time, in order. A call that passes its
/// deadline gets its host killed (SIGKILL): the hung call and those queued behind it fail, and the
/// supervisor's fallback applies to them. A host that dies is started again after a back-off (1 s doubling
/// to 60 s, back to 1 s after a minute of running); one that refused its library (not a library, no entry
/// symbol, wrong ABI, a name that is not allowed, `open` failed) is not, until a reload. Nor is one that was
/// never in force and failed `maxFailedStarts` starts in a row (its `open` crashes): it is refused.
final class PluginHostProcess: EventLoopHandler {
    enum State: String {
        /// Started, not yet through `hello` and `open`.
        case starting
        case running
        /// Died; waits for its back-off before starting again.
        case restarting
        /// The library was refused, or failed to start `maxFailedStarts` times in a row, or there is no host
        /// executable to start; not started again until a reload.
        case refused
        case stopped
    }

    /// What the supervisor needs from a host: its settings, and where its events go.
    struct Environment {
        var loop: EventLoop
        var logger: Logger
        var hostPath: String
        var deadline: TimeSpan
        var metrics: PluginMetrics
        /// The settings JSON, store path and time zone for a plugin `name`; nil refuses the name (taken).
        var openFor: (_ name: String, _ host: PluginHostProcess) -> PluginDaemonMessage?
        /// Told each time the plugin's `open` succeeded: from then on it is in force (`PluginSupervisor`).
        var opened: (_ host: PluginHostProcess) -> Void
        var openDoor: (_ sn: String, _ door: Int, _ plugin: String) -> Void
    }

    let libraryPath: String
    /// Its plugin's name once it said hello; the library's file name (without `lib` and `.so`) before.
    private(set) var name: String
    private(set) var version = ""
    private(set) var hooks: Set<PluginHook> = []
    private(set) var state = State.starting
    private(set) var restarts = 0
    private(set) var calls = 0
    private(set) var slowCalls = 0
    private(set) var lastError: String?
    /// Whether its plugin opened at least once in this daemon's life (in this host or one it replaced): such a
    /// plugin is never refused for failing to start, and keeps its say while restarting.
    let wasInForce: Bool
    /// Starts in a row that ended before the plugin opened.
    private(set) var failedStarts = 0
    /// The library file's identity when it was started; a reload restarts a host whose file changed.
    let fileStamp: PluginFileStamp?

    private let environment: Environment
    private var pid: pid_t = 0
    private var fd: Int32 = -1
    private var decoder = PluginFrameDecoder()
    private var output: [UInt8] = []
    private var queue: [Call] = []
    private var inFlight: Call?
    private var nextCallID: UInt64 = 1
    private var startedAt = Instant.zero
    private var backOff = PluginHostProcess.firstBackOff
    private var restartTimer: TimerHandle?
    /// Why the daemon killed the host, when it did: the reason its death is reported with.
    private var killedFor: String?

    private struct Call {
        var id: UInt64
        var hook: PluginHook
        var arguments: JSONValue
        var queuedAt: Instant
        var sentAt: Instant?
        var deadlineTimer: TimerHandle?
        var completion: (PluginAnswer) -> Void
    }

    static let firstBackOff = TimeSpan.seconds(1)
    static let longestBackOff = TimeSpan.seconds(60)
    /// A host that ran this long before dying starts again after the first back-off, not a longer one.
    static let healthyRun = TimeSpan.seconds(60)

    /// How many starts in a row may end before `open` succeeds before a plugin never in force is refused.
    static let maxFailedStarts = 5

    /// - Parameter inForceAs: the name and hooks the plugin opened with before, when it was in force already (a
    ///   restart for a reload or a replaced file); nil for a plugin that never opened in this daemon.
    init(libraryPath: String, environment: Environment,
         inForceAs known: (name: String, hooks: Set<PluginHook>)? = nil) {
        self.libraryPath = libraryPath
        self.environment = environment
        name = known?.name ?? PluginHostProcess.stem(of: libraryPath)
        hooks = known?.hooks ?? []
        wasInForce = known != nil
        fileStamp = PluginFileStamp(path: libraryPath)
    }

    private var loop: EventLoop { environment.loop }
    private var logger: Logger { environment.logger }

    /// `libanti-passback.so` → `anti-passback`.
    static func stem(of path: String) -> String {
        var stem = (path as NSString).lastPathComponent
        if stem.hasPrefix("lib") { stem.removeFirst(3) }
        if stem.hasSuffix(".so") { stem.removeLast(3) }
        return stem
    }

    // MARK: Starting and stopping

    func start() {
        restartTimer = nil
        state = .starting
        decoder = PluginFrameDecoder()
        output = []
        startedAt = loop.timeSource.now
        let arguments = [environment.hostPath, "--plugin", libraryPath]
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var socket: Int32 = -1
        var child: pid_t = 0
        let status = csystem_spawn_with_socket(environment.hostPath, &cArguments, &socket, &child)
        guard status == 0 else {
            let reason = "cannot start \(environment.hostPath): \(String(cString: strerror(status))); "
                + "check plugins.hostPath"
            return died(reason: reason)
        }
        fd = socket
        pid = child
        do {
            try loop.register(fd: fd, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue, handler: self)
        } catch {
            reap(kill: true)
            return died(reason: "cannot watch its socket: \(error)")
        }
        logger.debug("plugin host started", ["plugin": name, "pid": "\(pid)", "library": libraryPath])
    }

    /// Refuses without starting (no host executable): the supervisor has logged why, once for all plugins.
    func refuseWithoutStarting(reason: String) {
        lastError = reason
        state = .refused
    }

    /// Stops for good: its socket is closed, so the host calls the plugin's `close` and exits. Returns the
    /// host's pid for the caller to reap (and kill, if a plugin hung in a call keeps it from exiting).
    @discardableResult
    func stop() -> pid_t? {
        if let restartTimer { loop.cancelTimer(restartTimer) }
        restartTimer = nil
        state = .stopped
        failAll(reason: "plugin \(name) stopped", label: "stopped")
        closeSocket()
        defer { pid = 0 }
        return pid > 0 ? pid : nil
    }

    // MARK: Calls

    /// Calls `hook`; `completion` runs on the loop once with the answer, or `.failed` (dead host, deadline).
    func call(_ hook: PluginHook, arguments: JSONValue, completion: @escaping (PluginAnswer) -> Void) {
        guard state == .starting || state == .running else {
            environment.metrics.failures.increment(labels: [name, "not_running"])
            return completion(.failed(reason: "plugin \(name) is \(state.rawValue)"))
        }
        var call = Call(id: nextCallID, hook: hook, arguments: arguments, queuedAt: loop.timeSource.now,
                        completion: completion)
        nextCallID += 1
        let id = call.id
        call.deadlineTimer = loop.scheduleTimer(at: loop.timeSource.now + environment.deadline) { [weak self] in
            self?.deadlinePassed(callID: id)
        }
        queue.append(call)
        sendNext()
    }

    private func sendNext() {
        guard state == .running, inFlight == nil, !queue.isEmpty else { return }
        var call = queue.removeFirst()
        call.sentAt = loop.timeSource.now
        inFlight = call
        write(PluginDaemonMessage.call(id: call.id, hook: call.hook, arguments: call.arguments).frame)
    }

    private func deadlinePassed(callID: UInt64) {
        if let index = queue.firstIndex(where: { $0.id == callID }) {
            // It never reached the plugin: the one ahead of it is slow, and is killed by its own deadline.
            let call = queue.remove(at: index)
            environment.metrics.failures.increment(labels: [name, "deadline"])
            return call.completion(.failed(reason: "\(call.hook.rawValue) waited past its deadline"))
        }
        guard let call = inFlight, call.id == callID else { return }
        slowCalls += 1
        environment.metrics.failures.increment(labels: [name, "deadline"])
        let milliseconds = Int(environment.deadline.milliseconds)
        let reason = "\(call.hook.rawValue) passed its \(milliseconds) ms deadline; host killed"
        lastError = reason
        killedFor = reason
        logger.warning("plugin too slow; its host is killed and restarted, the fallback applies",
                       ["plugin": name, "hook": call.hook.rawValue, "deadline_ms": "\(milliseconds)"])
        if pid > 0 { kill(pid, SIGKILL) }
        // The socket's end follows; the call fails now so that the terminal is not kept waiting for it.
        inFlight = nil
        call.completion(.failed(reason: reason))
    }

    private func answered(id: UInt64, _ answer: PluginAnswer) {
        guard let call = inFlight, call.id == id else { return }
        inFlight = nil
        if let timer = call.deadlineTimer { loop.cancelTimer(timer) }
        calls += 1
        let seconds = loop.timeSource.now.since(call.sentAt ?? call.queuedAt).seconds
        environment.metrics.latency.observe(seconds, labels: [name, call.hook.rawValue])
        if case .failed(let reason) = answer {
            lastError = reason
            environment.metrics.failures.increment(labels: [name, "hook_failed"])
            logger.warning("plugin hook failed; the fallback applies", ["plugin": name, "error": reason])
        }
        call.completion(answer)
        sendNext()
    }

    private func failAll(reason: String, label: String = "host_died") {
        var failed = queue
        queue = []
        if let call = inFlight { failed.insert(call, at: 0) }
        inFlight = nil
        for call in failed {
            if let timer = call.deadlineTimer { loop.cancelTimer(timer) }
            environment.metrics.failures.increment(labels: [name, label])
            call.completion(.failed(reason: reason))
        }
    }

    // MARK: Socket

    func handleEvents(_ events: UInt32) {
        if events & EPOLLOUT.rawValue != 0 { flush() }
        guard fd >= 0, events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLRDHUP.rawValue | EPOLLERR.rawValue) != 0
        else { return }
        readAvailable()
    }

    private func readAvailable() {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while fd >= 0 {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                decoder.append(Array(chunk[0..<count]))
                takeFrames()
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            if count < 0 && errno == EINTR { continue }
            return hostEnded()
        }
    }

    private func takeFrames() {
        do {
            while fd >= 0, let frame = try decoder.next() {
                guard let message = try PluginHostMessage(frame: frame) else { continue }
                take(message)
            }
        } catch {
            lastError = "its frames cannot be read: \(error)"
            logger.error("plugin host sent an unreadable frame; killed", ["plugin": name, "error": "\(error)"])
            if pid > 0 { kill(pid, SIGKILL) }
        }
    }

    private func take(_ message: PluginHostMessage) {
        switch message {
        case .hello(let helloName, let helloVersion, let abi, let helloHooks):
            if let refusal = PluginName.refusal(helloName) { return refuse(reason: refusal) }
            name = helloName
            version = helloVersion
            hooks = helloHooks
            guard let open = environment.openFor(helloName, self) else {
                lastError = "another plugin is already named \(helloName)"
                return refuse(reason: lastError!)
            }
            logger.debug("plugin library loaded", ["plugin": name, "version": version, "abi": "\(abi)"])
            write(open.frame)
        case .refused(let reason):
            refuse(reason: reason)
        case .opened:
            state = .running
            failedStarts = 0
            hasOpened = true
            environment.opened(self)
            logger.info("plugin running", ["plugin": name, "version": version, "library": libraryPath,
                                            "hooks": PluginHook.allCases.filter(hooks.contains).map(\.rawValue)
                                                .joined(separator: ",")])
            sendNext()
        case .answer(let id, let answer):
            answered(id: id, answer)
        case .log(let level, let text, let context):
            // Cut again here: the plugin shares the host's process and can write frames of its own.
            let (message, pairs) = PluginLogText.truncated(message: text, context: context)
            let metadata = PluginLogText.metadata(plugin: name, message: message, context: pairs)
            logger.log(PluginHostProcess.logLevel(level), "plugin log", metadata)
        case .openDoor(let sn, let door):
            environment.openDoor(sn, door, name)
        }
    }

    /// Whether this host's plugin has opened since this host was made.
    private var hasOpened = false

    /// Whether the plugin has opened in this daemon's life: it then has its say even when not running (its
    /// calls get the fallback), so that restarting it never skips its rule.
    var inForce: Bool { wasInForce || hasOpened }

    private func refuse(reason: String) {
        lastError = reason
        state = .refused
        let context: LogMetadata = ["plugin": name, "library": libraryPath, "reason": reason]
        if inForce {
            logger.error("plugin refused after it was in force; its calls get the fallback until it is fixed and "
                         + "the daemon reloaded, or its library removed", context)
        } else {
            logger.error("plugin skipped", context)
        }
        failAll(reason: "plugin \(name) refused", label: "refused")
        closeSocket()
        reap(kill: true)
    }

    private func hostEnded() {
        closeSocket()
        let status = reap(kill: false)
        guard state != .refused && state != .stopped else { return }
        died(reason: PluginHostProcess.describe(status))
    }

    private func died(reason: String) {
        lastError = killedFor ?? reason
        killedFor = nil
        failAll(reason: "plugin \(name) host died: \(reason)")
        if state == .starting { failedStarts += 1 }
        if !inForce && failedStarts >= PluginHostProcess.maxFailedStarts {
            return refuse(reason: "failed \(failedStarts) starts in a row, never opened; last: \(lastError!)")
        }
        if loop.timeSource.now.since(startedAt) >= PluginHostProcess.healthyRun {
            backOff = PluginHostProcess.firstBackOff
        }
        restarts += 1
        environment.metrics.restarts.increment(labels: [name])
        state = .restarting
        logger.error("plugin host died; restarting", ["plugin": name, "reason": reason,
                                                      "after_seconds": String(format: "%.0f", backOff.seconds)])
        restartTimer = loop.scheduleTimer(at: loop.timeSource.now + backOff) { [weak self] in
            guard let self, self.state == .restarting else { return }
            self.start()
        }
        backOff = min(backOff + backOff, PluginHostProcess.longestBackOff)
    }

    private func write(_ frame: JSONValue) {
        output += PluginFrame.encode(frame)
        flush()
    }

    private func flush() {
        while fd >= 0, !output.isEmpty {
            let written = output.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written > 0 {
                output.removeFirst(written)
                continue
            }
            if written < 0 && errno == EINTR { continue }
            if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                try? loop.modify(fd: fd, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLOUT.rawValue)
                return
            }
            return // the socket's end is seen by the next read
        }
        if fd >= 0 { try? loop.modify(fd: fd, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue) }
    }

    private func closeSocket() {
        guard fd >= 0 else { return }
        loop.unregister(fd: fd)
        close(fd)
        fd = -1
    }

    /// Collects the exited host. Its socket has ended, so it is exiting or gone; one that lingers (a plugin
    /// that closed descriptor 3) is killed first, so the wait is short.
    @discardableResult
    private func reap(kill killFirst: Bool) -> Int32? {
        guard pid > 0 else { return nil }
        defer { pid = 0 }
        var status: Int32 = 0
        if killFirst || waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            guard waitpid(pid, &status, 0) == pid else { return nil }
            return killFirst ? nil : status
        }
        return status
    }

    private static func describe(_ status: Int32?) -> String {
        guard let status else { return "host ended" }
        let signal = status & 0x7F
        if signal != 0 { return "host killed by signal \(signal) (\(String(cString: strsignal(signal))))" }
        return "host exited with status \((status >> 8) & 0xFF)"
    }

    private static func logLevel(_ level: Int) -> LogLevel {
        switch level {
        case ...0: return .debug
        case 1: return .info
        case 2: return .warning
        default: return .error
        }
    }
}

/// A library file's identity, to tell on reload whether it was replaced.
struct PluginFileStamp: Equatable {
    var inode: UInt64
    var size: Int64
    var modified: Int

    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        modified = Int(status.st_mtim.tv_sec) * 1_000_000_000 + Int(status.st_mtim.tv_nsec)
    }
}
