import CatracaCore
import CatracaServer
import CatracaWebSocket
import Foundation

/// Many emulated terminals on one event loop, run until all are done, the idle time is over, or
/// time runs out.
public final class EmulatorFleet {
    public let settings: EmulatorSettings
    public let serialNumbers: [String]
    private let loop: EventLoop
    private let client: WebSocketClient
    private var terminals: [EmulatedTerminal] = []
    private var finished = 0
    private var startedAt = Instant.zero

    /// How long the run took, from the first connection to the last acknowledgement.
    public private(set) var elapsed = TimeSpan.zero

    /// Called on the loop once every terminal has registered (idle runs: the moment to measure).
    public var onAllRegistered: (() -> Void)?

    public init(settings: EmulatorSettings, serialNumbers: [String]) throws {
        self.settings = settings
        self.serialNumbers = serialNumbers
        loop = try EventLoop()
        var configuration = WebSocketConfiguration()
        configuration.pingInterval = .seconds(3600)
        configuration.deadPeerTimeout = .seconds(7200)
        client = WebSocketClient(loop: loop, configuration: configuration)
    }

    /// Runs the fleet on the calling thread and returns each terminal's report.
    ///
    /// - Parameters:
    ///   - timeout: the whole run's limit; terminals still busy then are reported as they are.
    ///   - idleFor: for idle terminals (no records), how long to stay connected once all registered.
    public func run(timeout: TimeSpan, idleFor: TimeSpan? = nil) -> [EmulatorReport] {
        loop.execute { [self] in startAll() }
        loop.scheduleTimer(at: loop.timeSource.now + timeout) { [self] in stopAll() }
        if let idleFor { watchRegistrations(idleFor: idleFor) }
        loop.run()
        return terminals.map(\.report)
    }

    private func startAll() {
        startedAt = loop.timeSource.now
        terminals = serialNumbers.map { sn in
            let stateFile = settings.stateFile.map {
                StateFileWriter.path($0, serialNumber: sn, terminals: serialNumbers.count)
            }
            return EmulatedTerminal(serialNumber: sn, settings: settings, loop: loop, client: client,
                                    stateFile: stateFile) { [weak self] _ in
                self?.terminalFinished()
            }
        }
        startInSteps(from: 0)
    }

    /// Connects in steps of 100 so that a few thousand terminals do not overflow the server's
    /// listen backlog at once.
    private func startInSteps(from index: Int) {
        let end = min(terminals.count, index + 100)
        for terminal in terminals[index..<end] { terminal.start() }
        guard end < terminals.count else { return }
        loop.scheduleTimer(at: loop.timeSource.now + .milliseconds(5)) { [self] in startInSteps(from: end) }
    }

    private func terminalFinished() {
        finished += 1
        if finished == terminals.count {
            elapsed = loop.timeSource.now.since(startedAt)
            stopAll()
        }
    }

    private func watchRegistrations(idleFor: TimeSpan) {
        loop.scheduleTimer(at: loop.timeSource.now + .milliseconds(50)) { [self] in
            let registered = terminals.filter { $0.report.registered || $0.report.refusedReason != nil }.count
            if !terminals.isEmpty && registered == terminals.count {
                elapsed = loop.timeSource.now.since(startedAt)
                onAllRegistered?()
                loop.scheduleTimer(at: loop.timeSource.now + idleFor) { [self] in stopAll() }
            } else {
                watchRegistrations(idleFor: idleFor)
            }
        }
    }

    /// Stops every terminal and ends `run`; callable from any thread (a signal handler's queue).
    public func stop() {
        loop.execute { [self] in stopAll() }
    }

    private func stopAll() {
        if elapsed == .zero { elapsed = loop.timeSource.now.since(startedAt) }
        for terminal in terminals { terminal.stop() }
        // Give the closing handshakes a moment before the loop ends.
        loop.scheduleTimer(at: loop.timeSource.now + .milliseconds(100)) { [loop] in loop.stop() }
    }
}
