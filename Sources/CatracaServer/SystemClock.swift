#if canImport(Glibc)
import Glibc
#endif
import CSystem

/// Whether this box's own clock can be trusted to set other clocks with.
///
/// Many cabinet boxes have no battery-backed clock: they boot in 1970 or at the last shutdown and stay
/// wrong until NTP reaches a server. Setting terminals' clocks from such a box would stamp their records
/// wrongly, so the daemon asks the kernel first.
public enum SystemClock {
    public enum Synchronization: Equatable, Sendable {
        /// A time service has synchronised the clock.
        case synchronised
        /// No time service has synchronised the clock (yet).
        case unsynchronised
        /// The kernel could not be asked; why.
        case unknown(String)
    }

    /// The kernel's view, from adjtimex(2): what timedatectl shows as "System clock synchronized".
    public static func synchronization() -> Synchronization {
        switch csystem_clock_synchronized() {
        case 1: return .synchronised
        case 0: return .unsynchronised
        default: return .unknown(String(cString: strerror(errno)))
        }
    }
}
