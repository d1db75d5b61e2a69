import CatracaCore
import CatracaServer

/// Runs a `PulseFilter` on an event loop: feeds it edges, keeps one timer at the filter's next deadline,
/// and delivers what it decides. Shared by the GPIO and the simulated input so both judge pulses alike.
final class PulseFilterRunner {
    private let loop: EventLoop
    private var filter: PulseFilter
    private var deliver: ((PulseFilterEvent) -> Void)?
    private var timer: TimerHandle?
    private var timerDeadline: Instant?

    init(loop: EventLoop, settings: PulseFilterSettings) {
        self.loop = loop
        self.filter = PulseFilter(settings: settings)
    }

    var bounces: Int { filter.bounces }
    var repeatedEdges: Int { filter.repeatedEdges }

    func start(deliver: @escaping (PulseFilterEvent) -> Void) {
        self.deliver = deliver
    }

    func stop() {
        deliver = nil
        cancelTimer()
    }

    /// Takes edges read together (in the order read), then settles what the current time has decided.
    func handle(_ edges: [LineEdge]) {
        var events: [PulseFilterEvent] = []
        for edge in edges {
            events += filter.handle(edge)
        }
        events += filter.advance(to: loop.timeSource.now)
        emit(events)
        rearm()
    }

    private func deadlinePassed() {
        timer = nil
        timerDeadline = nil
        emit(filter.advance(to: loop.timeSource.now))
        rearm()
    }

    private func emit(_ events: [PulseFilterEvent]) {
        guard let deliver else { return }
        for event in events { deliver(event) }
    }

    private func rearm() {
        let next = filter.nextDeadline
        guard next != timerDeadline, deliver != nil else { return }
        cancelTimer()
        guard let next else { return }
        timerDeadline = next
        timer = loop.scheduleTimer(at: next) { [weak self] in self?.deadlinePassed() }
    }

    private func cancelTimer() {
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        timerDeadline = nil
    }
}
