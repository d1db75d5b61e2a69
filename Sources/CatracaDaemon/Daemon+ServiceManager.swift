import CatracaCore
import CatracaServer

/// Readiness and the watchdog, through systemd's notify protocol (`Type=notify`, `WatchdogSec=`).
extension Daemon {
    /// Sends `READY=1` (the ports listen and the store is open by now) and arms the watchdog pings.
    func tellServiceManagerReady(loop: EventLoop) {
        guard serviceManagerNotifier.socketPath != nil else { return }
        serviceManagerNotifier.ready(status: "serving terminals on \(terminalAddress?.description ?? "-"), "
                                     + "operators on \(apiAddress?.description ?? "-")")
        if let failure = serviceManagerNotifier.failure {
            logger.warning("systemd not told that the daemon is ready", ["error": failure])
        }
        if let interval = serviceManagerNotifier.watchdogInterval {
            logger.info("systemd watchdog armed", ["ping_ms": "\(interval.nanoseconds / 1_000_000)"])
            loop.execute { [self] in pingWatchdog(every: interval, loop: loop) }
        }
    }

    /// Pings from a timer on the event loop, so a loop that is stuck stops pinging and systemd restarts
    /// the daemon. The status line says how many terminals are connected.
    private func pingWatchdog(every interval: TimeSpan, loop: EventLoop) {
        serviceManagerNotifier.watchdog(status: "\(connectedTerminalCount) terminals connected")
        _ = loop.scheduleTimer(at: loop.timeSource.now + interval) { [weak self] in
            self?.pingWatchdog(every: interval, loop: loop)
        }
    }
}
