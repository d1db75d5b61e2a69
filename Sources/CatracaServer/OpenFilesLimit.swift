#if canImport(Glibc)
import Glibc
#endif

/// The process's open-files limit (`RLIMIT_NOFILE`).
///
/// Every terminal is a descriptor, and Debian's default soft limit is 1024, so the daemon raises its
/// soft limit to the hard limit at start.
public enum OpenFilesLimit {
    /// Raises the soft limit as far as the hard limit allows and returns the limit now in force.
    @discardableResult
    public static func raiseToMaximum() -> (soft: UInt64, hard: UInt64) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return (0, 0) }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 {
                limit = raised
            }
        }
        return (UInt64(limit.rlim_cur), UInt64(limit.rlim_max))
    }
}
