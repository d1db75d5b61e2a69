#if canImport(Glibc)
import Glibc
#endif
import CatracaCore
import CatracaServer
import Foundation
import Testing

@Suite struct ServiceManagerNotifierTests {
    /// Plays systemd: a datagram socket bound where `NOTIFY_SOCKET` points.
    private final class FakeServiceManager {
        let path: String
        let descriptor: Int32

        init() throws {
            path = NSTemporaryDirectory() + "/catraca-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
            descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard bound == 0 else { throw SystemError(call: "bind", errno: errno, subject: path) }
        }

        deinit {
            close(descriptor)
            unlink(path)
        }

        func receive() -> String {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            return String(decoding: buffer[..<max(0, count)], as: UTF8.self)
        }
    }

    @Test func readyAndWatchdogAreDatagramsOfKeyValueLines() throws {
        let manager = try FakeServiceManager()
        let notifier = ServiceManagerNotifier(environment: ["NOTIFY_SOCKET": manager.path, "WATCHDOG_USEC": "30000000"])

        notifier.ready(status: "serving\nterminals")
        #expect(manager.receive() == "READY=1\nSTATUS=serving terminals")
        notifier.watchdog(status: "3 terminals connected")
        #expect(manager.receive() == "WATCHDOG=1\nSTATUS=3 terminals connected")
        notifier.stopping(status: "stopping")
        #expect(manager.receive() == "STOPPING=1\nSTATUS=stopping")
        #expect(notifier.failure == nil)
        #expect(notifier.watchdogInterval == .seconds(15))
    }

    @Test func withoutASocketNothingIsSentAndNoWatchdogIsArmed() {
        let notifier = ServiceManagerNotifier(environment: ["WATCHDOG_USEC": "30000000"])
        #expect(notifier.send(["READY=1"]) == false)
        #expect(notifier.watchdogInterval == nil)
    }

    @Test func aWatchdogForAnotherProcessIsNotArmed() {
        let notifier = ServiceManagerNotifier(
            environment: ["NOTIFY_SOCKET": "/run/systemd/notify", "WATCHDOG_USEC": "1000", "WATCHDOG_PID": "1"],
            pid: 4242)
        #expect(notifier.watchdogInterval == nil)
    }

    @Test func aMissingSocketIsReportedNotFatal() {
        let notifier = ServiceManagerNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/notify.sock"])
        #expect(notifier.send(["READY=1"]) == false)
        #expect(notifier.failure?.contains("/nonexistent/notify.sock") == true)
    }
}
