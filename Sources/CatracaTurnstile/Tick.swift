import CatracaCore

/// A time on the joiner's own timeline: monotonic nanoseconds, signed so that inputs restored after a reboot
/// can lie before the clock's origin (their age is longer than the machine has been up).
typealias Tick = Int64

extension Tick {
    init(_ instant: Instant) { self = Int64(clamping: instant.nanoseconds) }

    /// The instant for this tick; ticks before the clock's origin become its origin.
    var instant: Instant { Instant(nanoseconds: UInt64(Swift.max(0, self))) }

    /// Saturates instead of trapping, so that absurd spans from a configuration or a store cannot crash.
    func adding(_ span: TimeSpan) -> Tick {
        let (sum, overflow) = addingReportingOverflow(span.nanoseconds)
        return overflow ? (span.nanoseconds > 0 ? .max : .min) : sum
    }

    func subtracting(_ span: TimeSpan) -> Tick {
        let (difference, overflow) = subtractingReportingOverflow(span.nanoseconds)
        return overflow ? (span.nanoseconds > 0 ? .min : .max) : difference
    }
}
