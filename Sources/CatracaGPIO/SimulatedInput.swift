import CatracaCore
import CatracaServer

/// A turnstile input without hardware: `pulse(_:duration:)` drives one active-low pulse through the same
/// pulse filter the GPIO input uses. Used when no GPIO chip is present, driven by the API and the CLI
/// (`catraca gpio pulse fire-in --ms 80`) and by tests.
///
/// Edges are stamped with the loop's monotonic clock: the falling edge when the pulse is asked for, the
/// rising edge exactly `duration` later, so a pulse's width is what was asked for.
public final class SimulatedInput: TurnstileInput, @unchecked Sendable {
    private let loop: EventLoop
    private let runner: PulseFilterRunner
    private var running = false

    public init(loop: EventLoop, settings: PulseFilterSettings = .default) {
        self.loop = loop
        self.runner = PulseFilterRunner(loop: loop, settings: settings)
    }

    public var summary: String { "simulated" }

    public func start(deliver: @escaping (PulseFilterEvent) -> Void) throws {
        running = true
        runner.start(deliver: deliver)
    }

    public func stop() {
        running = false
        runner.stop()
    }

    /// Pulls `line` low now and lets it go after `duration`. Safe to call from any thread.
    public func pulse(_ line: TurnstileLine, duration: TimeSpan) {
        loop.execute { [self] in
            guard running else { return }
            let fell = loop.timeSource.now
            let rose = fell + duration
            runner.handle([LineEdge(line: line, kind: .activated, at: fell)])
            loop.scheduleTimer(at: rose) { [self] in
                guard running else { return }
                runner.handle([LineEdge(line: line, kind: .released, at: rose)])
            }
        }
    }

    /// Holds `line` low (`active` true) or lets it go, e.g. to show a stuck line. Safe from any thread.
    public func setLevel(_ line: TurnstileLine, active: Bool) {
        loop.execute { [self] in
            guard running else { return }
            runner.handle([LineEdge(line: line, kind: active ? .activated : .released, at: loop.timeSource.now)])
        }
    }
}
