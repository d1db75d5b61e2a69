#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// A real mosquitto broker on 127.0.0.1, started by a test on a free port, with persistence in its own
/// temporary folder. `stop()` and `start()` again keep the port and the persisted sessions.
final class MosquittoBroker {
    /// Where Debian's `mosquitto` package puts the broker; `nil` when it is not installed.
    static let executable: String? = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static var isInstalled: Bool { executable != nil }
    static let skipMessage: Comment =
        "mosquitto is not installed: scripts/setup.sh installs it (Debian package mosquitto)"

    let port: UInt16
    let folder: String
    private var pid: pid_t?

    /// `extraConfiguration` lines are added to the broker's config file (ACLs, limits, password files).
    init(extraConfiguration: [String] = [], allowAnonymous: Bool = true) throws {
        port = freeLoopbackPort()
        folder = NSTemporaryDirectory() + "catraca-mqtt-test-\(getpid())-\(port)"
        // Started as root (as in CI), mosquitto drops to the `mosquitto` user, which must write its
        // persistence file here.
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        let lines = [
            "listener \(port) 127.0.0.1",
            "allow_anonymous \(allowAnonymous)",
            "persistence true",
            "persistence_location \(folder)/",
            "log_dest stderr",
        ] + extraConfiguration
        try (lines.joined(separator: "\n") + "\n").write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    var configPath: String { folder + "/mosquitto.conf" }

    func start() throws {
        pid = try spawnWithNoSignalsBlocked(Self.executable!, ["-c", configPath], output: folder + "/broker.log")
        try waitUntilListening()
    }

    /// Stops the broker with SIGTERM, so it writes its persistence file, and waits for it to exit.
    func stop() {
        guard let running = pid else { return }
        kill(running, SIGTERM)
        var status: Int32 = 0
        _ = waitpid(running, &status, 0)
        pid = nil
    }

    /// Stops the broker and removes its folder.
    func remove() {
        stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The broker's own log so far, to explain a failed test.
    var log: String { (try? String(contentsOfFile: folder + "/broker.log", encoding: .utf8)) ?? "" }

    private func waitUntilListening() throws {
        for _ in 0..<200 {
            if canConnect(port: port) { return }
            usleep(25_000)
        }
        throw BrokerError(problem: "mosquitto did not listen on 127.0.0.1:\(port) within 5 s; its log:\n\(log)")
    }
}

/// Starts `path` with its output appended to `output`, and with no signal blocked.
///
/// Foundation's `Process` hands the child the signal mask of the thread that spawns it, and the test
/// runner's worker threads block SIGTERM: mosquitto keeps the mask it starts with around its wait, so it
/// would never see the SIGTERM that makes it save its persistence file and exit.
func spawnWithNoSignalsBlocked(_ path: String, _ arguments: [String], output: String) throws -> pid_t {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)

    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let code = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
    if code != 0 { throw BrokerError(problem: "posix_spawn \(path) failed: \(String(cString: strerror(code)))") }
    return pid
}

struct BrokerError: Error, CustomStringConvertible {
    var problem: String
    var description: String { problem }
}

/// A free loopback port: bound and released, so the broker can take it right after.
func freeLoopbackPort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = loopbackAddress(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
            _ = bind(fd, pointer, length)
            return getsockname(fd, pointer, &length)
        }
    }
    return UInt16(bigEndian: address.sin_port)
}

func canConnect(port: UInt16) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = loopbackAddress(port: port)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}

private func loopbackAddress(port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}
