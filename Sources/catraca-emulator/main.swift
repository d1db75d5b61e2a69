#if canImport(Glibc)
import Glibc
#endif
import CatracaCore
import CatracaEmulator
import CatracaServer
import Foundation

let usage = """
    catraca-emulator — emulated Evo Facial terminals that talk to a Catraca daemon over real sockets

    usage: catraca-emulator [--server HOST:PORT] [--path /] [--terminals N] [--sn PREFIX]
                            [--records N] [--batch N] [--ack-timeout S] [--drop-after BATCHES]
                            [--resend-every N] [--interval-ms MS] [--photo-bytes N] [--idle-seconds S]
                            [--timeout S]

      --server        the daemon's terminal port (default 127.0.0.1:7792)
      --terminals     how many terminals to run at once (default 1); serial numbers PREFIX0001…
      --sn            serial number, or prefix when --terminals > 1 (default EMU)
      --records       records each terminal pushes (default 100); 0: register and stay idle
      --batch         records per sendlog (default 20)
      --ack-timeout   seconds without an acknowledgement before it reconnects and resends (default 20)
      --drop-after    drop the connection once after this many acknowledged batches, then reconnect
      --resend-every  send every Nth acknowledged batch again, as if its acknowledgement was lost
      --interval-ms   least time between a terminal's batches (default 0: next batch right after the ack)
      --photo-bytes   photo size per record in bytes (default 0: no photo)
      --idle-seconds  with --records 0: how long to stay connected (default 10)
      --timeout       give up after this many seconds (default 300)

    Prints a summary line per terminal with problems, then totals. Exits 0 when every record of
    every terminal was acknowledged (or, idle, every terminal registered), 1 otherwise.

    """

func complain(_ message: String) -> Never {
    FileHandle.standardError.write("catraca-emulator: \(message)\n".data(using: .utf8)!)
    exit(2)
}

func number(_ options: [String: String], _ flag: String, default value: Double) -> Double {
    guard let text = options[flag] else { return value }
    guard let parsed = Double(text), parsed >= 0 else {
        complain("\(flag) \"\(text)\": expected a number")
    }
    return parsed
}

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    if flag == "--help" || flag == "-h" {
        print(usage, terminator: "")
        exit(0)
    }
    guard flag.hasPrefix("--"), let value = arguments.popFirst() else {
        complain("\(flag): expected --flag VALUE; see --help")
    }
    options[flag] = value
}
let known: Set<String> = ["--server", "--path", "--terminals", "--sn", "--records", "--batch", "--ack-timeout",
                          "--drop-after", "--resend-every", "--interval-ms", "--photo-bytes", "--idle-seconds",
                          "--timeout"]
if let unknown = options.keys.first(where: { !known.contains($0) }) {
    complain("unknown flag \(unknown); see --help")
}
guard let server = SocketAddress(parsing: options["--server"] ?? "127.0.0.1:7792") else {
    complain("--server must be HOST:PORT with a numeric IP")
}

var settings = EmulatorSettings(server: server)
settings.path = options["--path"] ?? "/"
settings.records = Int(number(options, "--records", default: 100))
settings.batchSize = max(1, Int(number(options, "--batch", default: 20)))
settings.ackTimeout = .seconds(number(options, "--ack-timeout", default: 20))
settings.dropAfterBatches = options["--drop-after"].map { _ in Int(number(options, "--drop-after", default: 0)) }
settings.resendEvery = options["--resend-every"].map { _ in max(1, Int(number(options, "--resend-every", default: 1))) }
settings.photoBytes = Int(number(options, "--photo-bytes", default: 0))
settings.batchInterval = .milliseconds(Int64(number(options, "--interval-ms", default: 0)))
let count = Int(number(options, "--terminals", default: 1))
guard count >= 1 else { complain("--terminals must be at least 1") }
guard Int(number(options, "--batch", default: 20)) >= 1 else { complain("--batch must be at least 1") }
guard settings.ackTimeout > .zero else { complain("--ack-timeout must be more than 0 seconds") }
let prefix = options["--sn"] ?? "EMU"
let idleSeconds = number(options, "--idle-seconds", default: 10)
let timeout = number(options, "--timeout", default: 300)

let fleet = try EmulatorFleet(settings: settings, serialNumbers: (1...count).map {
    count == 1 ? prefix : prefix + String(format: "%04d", $0)
})
let reports = fleet.run(timeout: .seconds(timeout), idleFor: settings.records == 0 ? .seconds(idleSeconds) : nil)
let summary = EmulatorSummary(reports: reports, expectedRecords: settings.records)
print(summary.text, terminator: "")
exit(summary.succeeded ? 0 : 1)
