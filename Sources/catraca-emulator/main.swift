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
                            [--first-record-time "YYYY-MM-DD HH:MM:SS"]
                            [--timeout S] [--serve] [--users N] [--logs N] [--page-size N]
                            [--quirks Q,Q...] [--state-file PATH] [--enrol-seconds S] [--max-photo-bytes N]

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
      --first-record-time  terminal time of record 0 (default 2024-01-01 08:00:00); record i is i
                      seconds later and has enrollid i % 1000 + 1, event 0 (a verified person)
      --idle-seconds  with --records 0: how long to stay connected (default 10)
      --timeout       give up after this many seconds (default 300; with --serve: never)

    Answering the server's commands (every command of section 2 of the protocol, always on):
      --serve         stay connected until SIGINT/SIGTERM (or --timeout), answering commands; records
                      of --records are still pushed first
      --users         seed N users: enrollid 1..N, name "User 0001", card 100000+N; user 1 is admin
      --logs          seed N stored records (all new, for getnewlog), from 2023-12-01 08:00:00, 1 s apart
      --page-size     entries per page of every listing, or users=N,logs=N,items=N
                      (default users=40,logs=20,items=16)
      --quirks        comma-separated: cmd-replies, string-numbers, vendor-spellings,
                      sendlog-before-reply, endless-paging, refuse-all, no-reply,
                      slow-reply[=MS] (default 1500), silent-undocumented
      --state-file    after every command write the terminal's state as JSON (atomically) to PATH;
                      with --terminals > 1 one file per terminal, PATH.SN
      --enrol-seconds how long an adduser enrolment takes before it completes (default 10)
      --max-photo-bytes  largest face photo setuserinfo accepts, decoded (default 1048576)

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

func pageSizes(_ text: String) -> PageSizes {
    if let size = Int(text), size >= 1 { return PageSizes(all: size) }
    var sizes = PageSizes()
    for part in text.split(separator: ",") {
        let pair = part.split(separator: "=").map(String.init)
        guard pair.count == 2, let size = Int(pair[1]), size >= 1 else {
            complain("--page-size \"\(text)\": expected N or users=N,logs=N,items=N with N at least 1")
        }
        switch pair[0] {
        case "users": sizes.users = size
        case "logs": sizes.logs = size
        case "items": sizes.questionnaireItems = size
        default: complain("--page-size: unknown listing \"\(pair[0])\"; use users, logs or items")
        }
    }
    return sizes
}

var options: [String: String] = [:]
var serve = false
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    if flag == "--help" || flag == "-h" {
        print(usage, terminator: "")
        exit(0)
    }
    if flag == "--serve" {
        serve = true
        continue
    }
    guard flag.hasPrefix("--"), let value = arguments.popFirst() else {
        complain("\(flag): expected --flag VALUE; see --help")
    }
    options[flag] = value
}
let known: Set<String> = ["--server", "--path", "--terminals", "--sn", "--records", "--batch", "--ack-timeout",
                          "--drop-after", "--resend-every", "--interval-ms", "--photo-bytes", "--idle-seconds",
                          "--timeout", "--users", "--logs", "--page-size", "--quirks", "--state-file",
                          "--enrol-seconds", "--max-photo-bytes", "--first-record-time"]
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
if let firstTime = options["--first-record-time"] {
    guard RecordGenerator.isRecordTime(firstTime) else {
        complain("--first-record-time \"\(firstTime)\": expected YYYY-MM-DD HH:MM:SS")
    }
    settings.firstRecordTime = firstTime
}
settings.batchInterval = .milliseconds(Int64(number(options, "--interval-ms", default: 0)))
settings.serve = serve
settings.seed = TerminalSeed(users: Int(number(options, "--users", default: 0)),
                             logs: Int(number(options, "--logs", default: 0)))
settings.pageSizes = options["--page-size"].map(pageSizes) ?? PageSizes()
do {
    settings.quirks = try TerminalQuirks(parsing: options["--quirks"] ?? "")
} catch {
    complain("--quirks: \(error)")
}
settings.stateFile = options["--state-file"]
settings.responderOptions.enrolmentDuration = .seconds(number(options, "--enrol-seconds", default: 10))
settings.responderOptions.maxPhotoBytes = Int(number(options, "--max-photo-bytes", default: 1_048_576))
let count = Int(number(options, "--terminals", default: 1))
guard count >= 1 else { complain("--terminals must be at least 1") }
guard Int(number(options, "--batch", default: 20)) >= 1 else { complain("--batch must be at least 1") }
guard settings.ackTimeout > .zero else { complain("--ack-timeout must be more than 0 seconds") }
let prefix = options["--sn"] ?? "EMU"
let idleSeconds = number(options, "--idle-seconds", default: 10)
let timeout = number(options, "--timeout", default: serve ? 100 * 365 * 86_400 : 300)

let fleet = try EmulatorFleet(settings: settings, serialNumbers: (1...count).map {
    count == 1 ? prefix : prefix + String(format: "%04d", $0)
})

// A served fleet ends on SIGINT/SIGTERM: the terminals close their connections and the summary prints.
var signalSources: [DispatchSourceSignal] = []
for number in [SIGINT, SIGTERM] {
    signal(number, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
    source.setEventHandler { fleet.stop() }
    source.resume()
    signalSources.append(source)
}
let idleFor: TimeSpan? = settings.records == 0 && !serve ? .seconds(idleSeconds) : nil
let reports = fleet.run(timeout: .seconds(timeout), idleFor: idleFor)
let summary = EmulatorSummary(reports: reports, expectedRecords: settings.records)
print(summary.text, terminator: "")
exit(summary.succeeded ? 0 : 1)
