import CatracaCore

/// What the pulse filter made of a line's edges.
public enum PulseFilterEvent: Hashable, Sendable, CustomStringConvertible {
    /// A turn: a pulse between the minimum and maximum width, reported when it ended.
    case pulse(Pulse)
    /// A pulse shorter than the minimum width: noise, not a turn.
    case spike(line: TurnstileLine, fellAt: Instant, width: TimeSpan)
    /// The line has been held low for longer than the maximum pulse (reported once per hold); whatever
    /// ends that hold is not a turn.
    case stuck(line: TurnstileLine, since: Instant)
    /// A line that was stuck went back high after `width`.
    case unstuck(line: TurnstileLine, roseAt: Instant, width: TimeSpan)

    public var line: TurnstileLine {
        switch self {
        case .pulse(let pulse): return pulse.line
        case .spike(let line, _, _), .stuck(let line, _), .unstuck(let line, _, _): return line
        }
    }

    /// When the event became certain, for ordering events of both lines.
    var decidedAt: Instant {
        switch self {
        case .pulse(let pulse): return pulse.roseAt
        case .spike(_, let fellAt, let width): return fellAt + width
        case .stuck(_, let since): return since
        case .unstuck(_, let roseAt, _): return roseAt
        }
    }

    public var description: String {
        switch self {
        case .pulse(let pulse): return pulse.description
        case .spike(let line, let fellAt, let width): return "\(line) spike fell=\(fellAt) width=\(width)"
        case .stuck(let line, let since): return "\(line) stuck low since \(since)"
        case .unstuck(let line, let roseAt, let width): return "\(line) released at \(roseAt) after \(width)"
        }
    }
}
