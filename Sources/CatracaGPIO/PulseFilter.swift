import CatracaCore

/// Turns the edges of both turnstile lines into pulses, spikes and stuck-line reports. No I/O, no clock
/// of its own: the caller feeds edges with their timestamps and advances time, so tests use a fake clock.
///
/// Use: `handle(_:)` for each edge in the order read, `advance(to:)` with the current monotonic time
/// whenever `nextDeadline` has passed (and after a batch of edges). A pulse is reported `debounce` after
/// its rising edge, once no bounce can follow. Events of both lines come out in the order they were decided.
public struct PulseFilter: Sendable {
    public let settings: PulseFilterSettings
    private var lines: [LineDebouncer]

    public init(settings: PulseFilterSettings = .default) {
        self.settings = settings
        lines = TurnstileLine.allCases.map { LineDebouncer(line: $0, settings: settings) }
    }

    /// The earliest time at which `advance(to:)` has something to decide, or nil while both lines are idle.
    public var nextDeadline: Instant? {
        lines.compactMap(\.nextDeadline).min()
    }

    /// Edges merged into pulses as contact bounce, both lines together.
    public var bounces: Int { lines.reduce(0) { $0 + $1.bounces } }

    /// Edges that repeated the level their line already had (see `LineDebouncer.repeatedEdges`).
    public var repeatedEdges: Int { lines.reduce(0) { $0 + $1.repeatedEdges } }

    /// Takes one edge; returns what the time up to that edge decided (on either line).
    public mutating func handle(_ edge: LineEdge) -> [PulseFilterEvent] {
        let settled = advance(to: edge.at)
        let index = TurnstileLine.allCases.firstIndex(of: edge.line)!
        lines[index].apply(edge.kind, at: edge.at)
        return settled
    }

    /// Settles everything the clock has decided by `now`, in the order it was decided.
    public mutating func advance(to now: Instant) -> [PulseFilterEvent] {
        var events: [PulseFilterEvent] = []
        for index in lines.indices {
            events += lines[index].advance(to: now)
        }
        if events.count > 1 {
            // Stable: two events of one line (stuck, then unstuck) keep their order.
            events = events.enumerated()
                .sorted { ($0.element.decidedAt, $0.offset) < ($1.element.decidedAt, $1.offset) }
                .map(\.element)
        }
        return events
    }
}
