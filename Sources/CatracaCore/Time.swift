#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A point on the monotonic clock, in nanoseconds since an arbitrary origin (boot, or zero in tests).
///
/// Timers and timeouts use this clock: it never jumps when the wall clock is set.
public struct Instant: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static let zero = Instant(nanoseconds: 0)

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Saturates at the ends of the clock instead of trapping on overflow.
    public static func + (lhs: Instant, rhs: TimeSpan) -> Instant {
        let (sum, overflow) = Int64(clamping: lhs.nanoseconds).addingReportingOverflow(rhs.nanoseconds)
        if overflow { return Instant(nanoseconds: rhs.nanoseconds > 0 ? UInt64(Int64.max) : 0) }
        return Instant(nanoseconds: UInt64(max(0, sum)))
    }

    /// How long from `earlier` to this instant (negative if `earlier` is later).
    public func since(_ earlier: Instant) -> TimeSpan {
        TimeSpan(nanoseconds: Int64(nanoseconds) - Int64(earlier.nanoseconds))
    }

    public var description: String { "\(Double(nanoseconds) / 1e9)s" }
}

/// A length of time in nanoseconds.
public struct TimeSpan: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// `value` seconds; beyond about ±292 years (or NaN) the span saturates instead of trapping.
    public static func seconds(_ value: Double) -> TimeSpan {
        let nanoseconds = value * 1e9
        guard nanoseconds.isFinite else { return TimeSpan(nanoseconds: nanoseconds > 0 ? .max : .min) }
        return TimeSpan(nanoseconds: Int64(exactly: nanoseconds.rounded()) ?? (nanoseconds > 0 ? .max : .min))
    }
    public static func milliseconds(_ value: Int64) -> TimeSpan { TimeSpan(nanoseconds: value * 1_000_000) }
    public static let zero = TimeSpan(nanoseconds: 0)

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
    public static func + (lhs: TimeSpan, rhs: TimeSpan) -> TimeSpan {
        TimeSpan(nanoseconds: lhs.nanoseconds + rhs.nanoseconds)
    }

    public var seconds: Double { Double(nanoseconds) / 1e9 }
    public var milliseconds: Double { Double(nanoseconds) / 1e6 }

    public var description: String {
        if nanoseconds % 1_000_000_000 == 0 { return "\(nanoseconds / 1_000_000_000)s" }
        return "\(milliseconds)ms"
    }
}

/// Where the daemon reads time from. Protocol state machines take one so tests can drive time by hand.
public protocol TimeSource: AnyObject, Sendable {
    /// The monotonic clock, for timers.
    var now: Instant { get }
    /// The wall clock, for timestamps that people and terminals read.
    var wallClock: Date { get }
}

/// The system's clocks: `CLOCK_MONOTONIC` and the real-time clock.
public final class SystemTimeSource: TimeSource {
    public init() {}

    public var now: Instant {
        var value = timespec()
        clock_gettime(CLOCK_MONOTONIC, &value)
        return Instant(nanoseconds: UInt64(value.tv_sec) * 1_000_000_000 + UInt64(value.tv_nsec))
    }

    public var wallClock: Date { Date() }
}

/// A clock that moves only when a test advances it.
public final class ManualTimeSource: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var monotonic: Instant
    private var wall: Date

    public init(now: Instant = .zero, wallClock: Date = Date(timeIntervalSince1970: 1_703_339_370)) {
        self.monotonic = now
        self.wall = wallClock
    }

    public var now: Instant {
        lock.lock()
        defer { lock.unlock() }
        return monotonic
    }

    public var wallClock: Date {
        lock.lock()
        defer { lock.unlock() }
        return wall
    }

    /// Moves both clocks forward by `span`.
    public func advance(by span: TimeSpan) {
        lock.lock()
        monotonic = monotonic + span
        wall = wall.addingTimeInterval(span.seconds)
        lock.unlock()
    }
}
