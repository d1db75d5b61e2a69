import CatracaCore

/// The pulse filter for one line: a small state machine over that line's edges and the clock.
///
/// A pulse starts at the first activation from idle. A release moves it to "releasing"; an activation
/// within `debounce` of that release is bounce and the pulse goes on from its original start. When the
/// line has stayed released for `debounce`, the pulse is over and is judged by its width (first fall to
/// last rise). A line still active `maxPulse` after its start is reported stuck once.
struct LineDebouncer {
    private enum State {
        case idle
        case active(since: Instant, stuckReported: Bool)
        case releasing(since: Instant, releasedAt: Instant, stuckReported: Bool)
    }

    let line: TurnstileLine
    let settings: PulseFilterSettings
    private var state = State.idle
    private var lastEdgeAt = Instant.zero

    /// Activations merged into a pulse because they came within `debounce` of a release.
    private(set) var bounces = 0
    /// Edges that repeated the level the line already had (the kernel reads the level after the fact for
    /// both-edge events, so a very short pulse can be reported as two edges of the same kind).
    private(set) var repeatedEdges = 0

    init(line: TurnstileLine, settings: PulseFilterSettings) {
        self.line = line
        self.settings = settings
    }

    /// When `advance(to:)` will next have something to decide, if ever.
    var nextDeadline: Instant? {
        switch state {
        case .idle: return nil
        case .active(let since, let stuckReported):
            return stuckReported ? nil : stuckDeadline(since)
        case .releasing(_, let releasedAt, _):
            return releasedAt + settings.debounce
        }
    }

    /// Takes one edge of this line. Call `advance(to: edge.at)` first so that earlier deadlines are settled.
    mutating func apply(_ kind: LineEdge.Kind, at reported: Instant) {
        // Events from one line's queue come in order; an out-of-order stamp must not run time backwards.
        let at = max(reported, lastEdgeAt)
        lastEdgeAt = at

        switch (state, kind) {
        case (.idle, .activated):
            state = .active(since: at, stuckReported: false)
        case (.releasing(let since, _, let stuckReported), .activated):
            bounces += 1
            state = .active(since: since, stuckReported: stuckReported)
        case (.active(let since, let stuckReported), .released):
            state = .releasing(since: since, releasedAt: at, stuckReported: stuckReported)
        case (.active, .activated), (.idle, .released), (.releasing, .released):
            repeatedEdges += 1
        }
    }

    /// Settles what the clock has decided by `now`: a pulse that ended, a spike, a stuck line.
    mutating func advance(to now: Instant) -> [PulseFilterEvent] {
        switch state {
        case .idle:
            return []

        case .active(let since, let stuckReported):
            guard !stuckReported, now >= stuckDeadline(since) else { return [] }
            state = .active(since: since, stuckReported: true)
            return [.stuck(line: line, since: since)]

        case .releasing(let since, let releasedAt, let stuckReported):
            guard now >= releasedAt + settings.debounce else { return [] }
            state = .idle
            return judge(since: since, releasedAt: releasedAt, stuckReported: stuckReported)
        }
    }

    private func judge(since: Instant, releasedAt: Instant, stuckReported: Bool) -> [PulseFilterEvent] {
        let width = releasedAt.since(since)
        let unstuck = PulseFilterEvent.unstuck(line: line, roseAt: releasedAt, width: width)
        if stuckReported { return [unstuck] }
        if width > settings.maxPulse { return [.stuck(line: line, since: since), unstuck] }
        if width < settings.minPulse { return [.spike(line: line, fellAt: since, width: width)] }
        return [.pulse(Pulse(line: line, fellAt: since, roseAt: releasedAt))]
    }

    // "Held for longer than maxPulse": a pulse of exactly maxPulse is still a pulse.
    private func stuckDeadline(_ since: Instant) -> Instant {
        since + settings.maxPulse + TimeSpan(nanoseconds: 1)
    }
}
