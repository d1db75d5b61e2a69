#if canImport(Glibc)
import Glibc
#endif
import CatracaCore
import CatracaEmulator
import CatracaServer
import Foundation

let usage = """
    catraca-bench — starts the daemon and emulated terminals on loopback and prints what it measured

    usage: catraca-bench [--catraca PATH] [--quick]
           catraca-bench --passages [--turns N] [--chip CHIP] [--debounce-ms MS] [--min-pulse-ms MS]
                         [--timeout S]
           catraca-bench --mqtt-drain HOST:PORT [--quick]

      --catraca  the daemon binary (default: `catraca` beside this program)
      --quick    smaller runs, for a smoke test
      --passages only the turnstile passages benchmark (below): N turns (default 1,000). With --chip,
                 the input is that GPIO chip's lines fire-in and exit-button: the benchmark stores N
                 grants, prints `ready`, and waits (--timeout, default 300 s) for N pulses driven by
                 someone else (the gpio-sim VM test)
      --mqtt-drain only the MQTT drain: 100,000 outbox entries (10,000 with --quick) in batches of 500
                 published with QoS 1 to the broker at HOST:PORT, which must be running (e.g.
                 `mosquitto -p 1883`); prints entries per second

    For N = 1, 50 and 500 terminals sending batches of 20 records, each waiting for its
    acknowledgement before the next batch, and 50 terminals paced to 50,000 records/s (a batch every
    20 ms each): durable records acknowledged per second, ack latency p50/p99 and the daemon's peak
    RSS. Then 2,000 idle terminals registered: the daemon's RSS.
    Each scenario runs a fresh daemon on a fresh database, logging warnings only.
    Then turnstile passages: the daemon's turnstile path in this process (grant stored, pulse through the
    simulated input and its filter, rotation stored, joined, passage committed), one turn at a time:
    pulse end to passage committed, p50/p99 (1,000 turns; 100 with --quick).

    """

struct Scenario {
    var name: String
    var terminals: Int
    var recordsPerTerminal: Int
    var batchSize = 20
    /// Each terminal's pace; zero sends each batch as soon as the previous one is acknowledged.
    var batchInterval = TimeSpan.zero
}

struct Measurement {
    var scenario: Scenario
    var recordsPerSecond: Double
    var p50: TimeSpan?
    var p99: TimeSpan?
    var peakRSS: Int
    var currentRSS: Int
    var succeeded: Bool
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write("catraca-bench: \(message)\n".data(using: .utf8)!)
    exit(1)
}

/// A free loopback port: bound and released, so the daemon can take it right after.
func freePort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
            _ = bind(fd, pointer, length)
            return getsockname(fd, pointer, &length)
        }
    }
    return UInt16(bigEndian: address.sin_port)
}

/// Kilobytes from a `/proc/PID/status` line such as `VmHWM:   12345 kB`.
func memoryFigure(_ key: String, pid: Int32) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
    }
    return 0
}

final class DaemonProcess {
    let process = Process()
    let port = freePort()
    let folder: String

    init(binary: String) throws {
        folder = NSTemporaryDirectory() + "catraca-bench-\(getpid())-\(port)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", "--listen", "127.0.0.1:\(port)", "--db", folder + "/catraca.db",
                             "--log-level", "warning"]
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        try waitUntilListening()
    }

    private func waitUntilListening() throws {
        for _ in 0..<200 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(fd)
            if connected { return }
            usleep(25_000)
        }
        fail("the daemon did not start listening on 127.0.0.1:\(port) within 5 s")
    }

    var pid: Int32 { process.processIdentifier }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

func measureLoad(_ scenario: Scenario, binary: String) throws -> Measurement {
    let daemon = try DaemonProcess(binary: binary)
    defer { daemon.stop() }
    var settings = EmulatorSettings(server: SocketAddress(host: "127.0.0.1", port: daemon.port))
    settings.records = scenario.recordsPerTerminal
    settings.batchSize = scenario.batchSize
    settings.batchInterval = scenario.batchInterval
    let fleet = try EmulatorFleet(settings: settings, serialNumbers: (1...scenario.terminals).map {
        String(format: "BENCH%05d", $0)
    })
    let reports = fleet.run(timeout: .seconds(600))
    let summary = EmulatorSummary(reports: reports, expectedRecords: scenario.recordsPerTerminal)
    return Measurement(
        scenario: scenario,
        recordsPerSecond: Double(summary.recordsAcknowledged) / max(fleet.elapsed.seconds, 1e-9),
        p50: summary.ackLatency(percentile: 0.5), p99: summary.ackLatency(percentile: 0.99),
        peakRSS: memoryFigure("VmHWM", pid: daemon.pid), currentRSS: memoryFigure("VmRSS", pid: daemon.pid),
        succeeded: summary.succeeded
    )
}

func measureIdle(terminals: Int, binary: String) throws -> Measurement {
    let daemon = try DaemonProcess(binary: binary)
    defer { daemon.stop() }
    var settings = EmulatorSettings(server: SocketAddress(host: "127.0.0.1", port: daemon.port))
    settings.records = 0
    let fleet = try EmulatorFleet(settings: settings, serialNumbers: (1...terminals).map {
        String(format: "IDLE%05d", $0)
    })
    var rss = 0
    var peak = 0
    fleet.onAllRegistered = {
        rss = memoryFigure("VmRSS", pid: daemon.pid)
        peak = memoryFigure("VmHWM", pid: daemon.pid)
    }
    let reports = fleet.run(timeout: .seconds(120), idleFor: .seconds(1))
    let summary = EmulatorSummary(reports: reports, expectedRecords: 0)
    return Measurement(
        scenario: Scenario(name: "\(terminals) idle", terminals: terminals, recordsPerTerminal: 0),
        recordsPerSecond: 0, p50: nil, p99: nil, peakRSS: peak, currentRSS: rss, succeeded: summary.succeeded
    )
}

func mebibytes(_ kilobytes: Int) -> String { String(format: "%.1f MiB", Double(kilobytes) / 1024) }
func milliseconds(_ span: TimeSpan?) -> String { span.map { String(format: "%.2f ms", $0.milliseconds) } ?? "-" }

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") {
    print(usage, terminator: "")
    exit(0)
}
let quick = arguments.contains("--quick")
if arguments.contains("--passages") {
    var options: [String: String] = [:]
    for (index, flag) in arguments.enumerated() where flag.hasPrefix("--") && index + 1 < arguments.count {
        options[flag] = arguments[index + 1]
    }
    exit(runPassages(options: options, turns: quick ? 100 : 1_000) ? 0 : 1)
}
if let index = arguments.firstIndex(of: "--mqtt-drain") {
    guard index + 1 < arguments.count, let broker = HostAndPort(parsing: arguments[index + 1][...]) else {
        fail("--mqtt-drain needs the broker as HOST:PORT, e.g. 127.0.0.1:1883")
    }
    let drain = MQTTDrain(broker: broker, entries: quick ? 10_000 : 100_000)
    do {
        let figure = try drain.run()
        print(String(format: "MQTT drain to %@:%d: %d entries in batches of %d in %.2f s: %.0f entries/s",
                     broker.host, Int(broker.port), figure.entries, drain.batchSize, figure.seconds,
                     figure.entriesPerSecond))
        exit(0)
    } catch {
        fail("MQTT drain: \(error)")
    }
}
var binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("catraca").path
if let index = arguments.firstIndex(of: "--catraca"), index + 1 < arguments.count { binary = arguments[index + 1] }
guard FileManager.default.isExecutableFile(atPath: binary) else { fail("no daemon binary at \(binary); use --catraca") }
signal(SIGPIPE, SIG_IGN)

// "as fast as acknowledged" finds the ceiling; "paced" offers 50,000 records/s (50 terminals, a batch of 20
// every 20 ms each) and shows the latency at that rate.
let scale = quick ? 10 : 1
let scenarios = [
    Scenario(name: "1 terminal, as fast as acknowledged", terminals: 1, recordsPerTerminal: 20_000 / scale),
    Scenario(name: "50 terminals, as fast as acknowledged", terminals: 50, recordsPerTerminal: 4_000 / scale),
    Scenario(name: "50 terminals, paced to 50,000 records/s", terminals: 50, recordsPerTerminal: 4_000 / scale,
             batchInterval: .milliseconds(20)),
    Scenario(name: "500 terminals, as fast as acknowledged", terminals: 500, recordsPerTerminal: 400 / scale),
]

print("catraca-bench: daemon \(binary), \(ProcessInfo.processInfo.activeProcessorCount) cores")
print("All batches hold \(scenarios[0].batchSize) records.")
print("| scenario | records | records/s acknowledged | ack p50 | ack p99 | daemon peak RSS | ok |")
print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
var allSucceeded = true
for scenario in scenarios {
    let result = try measureLoad(scenario, binary: binary)
    allSucceeded = allSucceeded && result.succeeded
    print("| \(scenario.name) | \(scenario.terminals * scenario.recordsPerTerminal)"
        + " | \(Int(result.recordsPerSecond)) | \(milliseconds(result.p50)) | \(milliseconds(result.p99))"
        + " | \(mebibytes(result.peakRSS)) | \(result.succeeded ? "yes" : "NO") |")
    fflush(stdout)
}
let idleTerminals = quick ? 200 : 2_000
let idle = try measureIdle(terminals: idleTerminals, binary: binary)
allSucceeded = allSucceeded && idle.succeeded
print("| \(idleTerminals) idle terminals registered | - | - | - | - | \(mebibytes(idle.currentRSS)) now,"
    + " \(mebibytes(idle.peakRSS)) peak | \(idle.succeeded ? "yes" : "NO") |")
print("Turnstile passages, simulated input, pulse end to passage committed:")
allSucceeded = runPassages(options: [:], turns: quick ? 100 : 1_000) && allSucceeded
exit(allSucceeded ? 0 : 1)
