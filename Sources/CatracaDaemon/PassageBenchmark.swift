import CatracaCore
import CatracaServer
import CatracaStore
import CatracaTerminal
import CatracaTurnstile
import Foundation

/// Measures the daemon's turnstile path in one process: a grant stored as the terminals' records are, a pulse
/// through the turnstile input and its pulse filter, the rotation stored, the joiner, and the passage's own
/// transaction. The latency of a turn runs from the pulse's end (its rising edge, the moment the board's relay
/// lets go, on the monotonic clock the input stamps edges with) to the store's report that the passage
/// committed (`synchronous=FULL`).
///
/// On the simulated input the benchmark drives each turn itself: a grant, then one pulse, then it waits for the
/// passage before the next. On a GPIO chip someone else drives the pulses (the VM test's `gpio_pulse`): the
/// benchmark stores one grant per expected turn up front, calls `onReady`, and waits for that many passages.
public final class PassageBenchmark {
    public struct Settings: Sendable {
        /// Turns to measure.
        public var turns = 1_000
        /// `simulated`, or a GPIO chip's name or path whose lines `fire-in` and `exit-button` someone else pulses.
        public var chip = "simulated"
        /// Width of each simulated pulse.
        public var pulse = TimeSpan.milliseconds(30)
        public var debounceMilliseconds = 5.0
        public var minPulseMilliseconds = 20.0
        /// How long to wait for all the passages, at most.
        public var timeout = TimeSpan.seconds(300)

        public init() {}
    }

    /// What one run measured.
    public struct Result: Sendable {
        /// Pulse end to passage committed, one per turned passage, sorted.
        public var latencies: [TimeSpan]
        /// Passages committed, by outcome (`turned_a`, `unauthorised_rotation`, ...).
        public var outcomes: [String: Int]
        public var elapsed: TimeSpan

        /// The nearest-rank percentile (`0.5`, `0.99`) of `latencies`, or nil when there are none.
        public func latency(percentile: Double) -> TimeSpan? {
            guard !latencies.isEmpty else { return nil }
            let rank = Int((percentile * Double(latencies.count)).rounded(.up))
            return latencies[min(latencies.count, max(1, rank)) - 1]
        }
    }

    private static let turnstile = "main"
    private static let terminal = "BENCH1"

    private let settings: Settings
    private let folder: String
    private let loop: EventLoop
    private let writer: StoreWriter
    private let service: TurnstileService
    private let lock = NSLock()
    private var latencies: [TimeSpan] = []
    private var outcomes: [String: Int] = [:]
    private let passageCommitted = DispatchSemaphore(value: 0)

    /// Opens a fresh database in a temporary folder and the turnstile input; `logger` gets the daemon's lines.
    public init(settings: Settings, logger: Logger) throws {
        self.settings = settings
        folder = NSTemporaryDirectory() + "catraca-passage-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let id = TurnstileID(PassageBenchmark.turnstile)
        let layout = try TurnstileLayout(inDirections: [id: .a], placements: [
            PassageBenchmark.terminal: TerminalPlacement(turnstile: id, side: .entry, reportsTurns: false),
        ])
        var writerConfiguration = StoreWriter.Configuration()
        // The generated records carry fixed 2024 times: every one is taken as a grant, whatever its age.
        writerConfiguration.grantTurnstile = TurnstileService.grantTurnstile(layout: layout, siteTime: SiteTime(),
                                                                             maxAge: nil)
        writer = try StoreWriter(path: folder + "/catraca.db", configuration: writerConfiguration,
                                 logger: logger.child(label: "store"), clock: SystemTimeSource())
        loop = try EventLoop()
        // A long window holds the up-front grants of a chip run; the short bounce guard lets turns come 10 ms apart.
        let joiner = try JoinerConfiguration(window: .seconds(3_600), rotationGrace: .milliseconds(1_500),
                                             bounceGuard: .milliseconds(10))
        service = TurnstileService(loop: loop, writer: writer, layout: layout, joiner: joiner,
                                   metrics: MetricsRegistry(), logger: logger.child(label: "turnstiles"))
        service.passageCommitted = { [self] passage in noteCommitted(passage) }

        var turnstile = Configuration.Turnstile()
        turnstile.entry = [PassageBenchmark.terminal]
        turnstile.gpio.chip = settings.chip
        turnstile.gpio.debounceMilliseconds = settings.debounceMilliseconds
        turnstile.gpio.minPulseMilliseconds = settings.minPulseMilliseconds
        try service.startInputs([PassageBenchmark.turnstile: turnstile])
    }

    /// Runs the turns and returns what they measured; `onReady` is called once the input listens and, on a chip,
    /// the grants are stored. Stops the input, the loop and the store before it returns.
    public func run(onReady: () -> Void) -> Result {
        let thread = Thread { [loop] in loop.run() }
        thread.start()
        let started = SystemTimeSource().now
        if settings.chip == "simulated" {
            onReady()
            driveSimulatedTurns()
        } else {
            storeGrants(0..<settings.turns)
            onReady()
            waitForPassages(settings.turns, until: started + settings.timeout)
        }
        let elapsed = SystemTimeSource().now.since(started)
        stop()

        lock.lock()
        defer { lock.unlock() }
        return Result(latencies: latencies.sorted(), outcomes: outcomes, elapsed: elapsed)
    }

    private func driveSimulatedTurns() {
        let deadline = SystemTimeSource().now + settings.timeout
        for turn in 0..<settings.turns {
            storeGrants(turn..<(turn + 1))
            loop.execute { [service, settings] in
                try? service.pulse(turnstile: PassageBenchmark.turnstile, line: .fireIn, duration: settings.pulse)
            }
            guard waitForPassages(1, until: deadline) else { return }
        }
    }

    /// Stores one granted record per turn in one batch and hands the grants to the joiner, as a terminal's
    /// `sendlog` is; returns once the joiner has them.
    private func storeGrants(_ turns: Range<Int>) {
        let records = turns.map { turn in
            AccessRecord(identity: RecordIdentity(sn: PassageBenchmark.terminal, enrollid: Int64(turn + 1),
                                                  time: PassageBenchmark.recordTime(turn), mode: 8, inOut: 0,
                                                  event: 0))
        }
        let batch = RecordBatch(id: UInt64(turns.lowerBound), sn: PassageBenchmark.terminal, records: records,
                                quarantined: [], receivedAt: Date())
        let handed = DispatchSemaphore(value: 0)
        writer.submit(batch) { [loop, service] result in
            loop.execute {
                if case .success(let outcome) = result { service.recordsStored(batch, outcome: outcome) }
                handed.signal()
            }
        }
        handed.wait()
    }

    /// Waits for `count` more committed passages; false when the deadline came first.
    @discardableResult
    private func waitForPassages(_ count: Int, until deadline: Instant) -> Bool {
        for _ in 0..<count {
            let left = max(0, deadline.since(SystemTimeSource().now).seconds)
            guard passageCommitted.wait(timeout: .now() + left) == .success else { return false }
        }
        return true
    }

    private func noteCommitted(_ passage: Passage) {
        let committed = loop.timeSource.now
        let outcome = PassageRows.outcome(passage.outcome)
        lock.lock()
        outcomes[outcome, default: 0] += 1
        if let rotation = passage.rotation, passage.grant != nil { latencies.append(committed.since(rotation.roseAt)) }
        lock.unlock()
        passageCommitted.signal()
    }

    private func stop() {
        let stopped = DispatchSemaphore(value: 0)
        loop.execute { [service] in
            service.stop()
            stopped.signal()
        }
        stopped.wait()
        loop.stop()
        writer.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A distinct terminal time per turn (the store keeps one record per identity).
    private static func recordTime(_ turn: Int) -> String {
        let day = 1 + turn / 86_400
        let second = turn % 86_400
        return String(format: "2026-01-%02d %02d:%02d:%02d", day, second / 3_600, second / 60 % 60, second % 60)
    }
}
