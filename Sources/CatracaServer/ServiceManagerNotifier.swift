#if canImport(Glibc)
import Glibc
#endif
import CatracaCore
import Foundation

/// Tells systemd how the service is doing through its notify protocol: `READY=1`, `RELOADING=1`,
/// `STOPPING=1`, `STATUS=...` and `WATCHDOG=1` datagrams to the unix socket in `$NOTIFY_SOCKET`
/// (https://www.freedesktop.org/software/systemd/man/latest/sd_notify.html, "NOTES").
///
/// The protocol is a newline-separated `KEY=value` text in one datagram, so it is written here directly
/// instead of linking libsystemd: one less library on the box, and the same code runs where systemd is
/// absent (no `$NOTIFY_SOCKET`: every call does nothing). Socket paths starting with `@` are in the
/// abstract namespace. Credentials passing (`SCM_CREDENTIALS`) is not needed: systemd takes the sender's
/// PID from the socket, and `NotifyAccess=main` accepts the main process.
public final class ServiceManagerNotifier: @unchecked Sendable {
    /// The socket messages go to; nil when not started by a service manager that asked for them.
    public let socketPath: String?
    /// How often systemd expects `WATCHDOG=1` at the latest (`$WATCHDOG_USEC`), when it is meant for
    /// this process (`$WATCHDOG_PID` absent or ours); nil when no watchdog is armed.
    public let watchdogTimeout: TimeSpan?
    private let lock = NSLock()
    private var descriptor: Int32 = -1
    private var lastFailure: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, pid: Int32 = getpid()) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        let forUs = environment["WATCHDOG_PID"].map { Int32($0) == pid } ?? true
        if path != nil, forUs, let text = environment["WATCHDOG_USEC"], let micros = UInt64(text), micros > 0 {
            watchdogTimeout = TimeSpan(nanoseconds: Int64(clamping: micros) * 1_000)
        } else {
            watchdogTimeout = nil
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// How often to send `WATCHDOG=1`: half the timeout, as systemd recommends.
    public var watchdogInterval: TimeSpan? {
        watchdogTimeout.map { TimeSpan(nanoseconds: $0.nanoseconds / 2) }
    }

    /// The service is up: ports listen and the store is open.
    public func ready(status: String) {
        send(["READY=1", "STATUS=" + status])
    }

    /// A reload started; `readyAgain` ends it. The monotonic time lets systemd 253+ match the two.
    public func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        send(["RELOADING=1", "MONOTONIC_USEC=\(Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000)"])
    }

    public func stopping(status: String) {
        send(["STOPPING=1", "STATUS=" + status])
    }

    public func status(_ text: String) {
        send(["STATUS=" + text])
    }

    /// The event loop is alive; `status` rides along when given.
    public func watchdog(status: String? = nil) {
        send(["WATCHDOG=1"] + (status.map { ["STATUS=" + $0] } ?? []))
    }

    /// Sends one datagram of `assignments`; returns false when there is no socket or it failed. A failure
    /// is kept in `lastFailure` and does not stop the daemon: systemd would notice missing pings itself.
    @discardableResult
    public func send(_ assignments: [String]) -> Bool {
        guard let socketPath else { return false }
        let message = assignments.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n")
        lock.lock()
        defer { lock.unlock() }
        if descriptor < 0 {
            descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { return remember("socket", errno) }
        }
        guard var address = ServiceManagerNotifier.address(socketPath) else {
            lastFailure = "NOTIFY_SOCKET \(socketPath) is longer than a unix socket path may be"
            return false
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + ServiceManagerNotifier.pathLength(socketPath))
        let sent = message.utf8CString.withUnsafeBufferPointer { text in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                    sendto(descriptor, text.baseAddress, text.count - 1, Int32(MSG_NOSIGNAL), raw, length)
                }
            }
        }
        guard sent >= 0 else { return remember("sendto \(socketPath)", errno) }
        lastFailure = nil
        return true
    }

    /// Why the last message could not be sent, or nil when it was.
    public var failure: String? {
        lock.lock()
        defer { lock.unlock() }
        return lastFailure
    }

    private func remember(_ call: String, _ code: Int32) -> Bool {
        lastFailure = "\(call): \(String(cString: strerror(code)))"
        return false
    }

    /// `sun_path` bytes used: the path and its terminating NUL, or for an abstract name (`@name`) the NUL
    /// and the name with no terminator.
    private static func pathLength(_ path: String) -> Int {
        path.hasPrefix("@") ? path.utf8.count : path.utf8.count + 1
    }

    private static func address(_ path: String) -> sockaddr_un? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if path.hasPrefix("@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathLength(path) <= capacity else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
        }
        return address
    }
}
