#if canImport(Glibc)
import Glibc
#endif
import CatracaCLI
import CatracaCore
import CatracaDaemon
import CatracaStore
import Foundation

let usage = """
    catraca — access-control daemon for Evo Facial terminals and turnstiles

    usage:
      catraca run [--config FILE] [--listen HOST:PORT] [--api-listen HOST:PORT] [--db FILE]
                  [--log-level LEVEL] [--plugins-directory DIR]
          Runs the daemon. Without --config, /etc/catraca/catraca.json5 is read if it exists;
          the flags override the file (--listen: terminals, --api-listen: the operators' API).
          Stops cleanly on SIGTERM or Ctrl-C; SIGHUP reloads the config file (log level, allow-list,
          ack message, command settings, registration actions, plugins; the rest needs a restart).
      catraca backup [--db FILE | --config FILE] --to COPY
          Copies the database while the daemon runs (SQLite's online backup), checks the copy's integrity and
          renames it into place as COPY; an existing COPY is replaced only by a good copy.
      catraca export records [--db FILE] [--config FILE] [--since TIME] [--received-since UTC] [--sn SN]
                             [--format csv|jsonl]
          Prints stored records in the order they were stored (works while the daemon runs). TIME is a
          terminal time or its prefix, e.g. 2023-12-23 or "2023-12-23 13:00:00"; UTC is when the daemon
          received them, as in received_at (e.g. 2023-12-23T16:49), the one to use for incremental
          exports. csv columns start sn,enrollid,time.
      catraca export passages [--db FILE] [--config FILE] [--format csv|jsonl]
          Prints the passages at the turnstiles in the order they closed: turned A, turned B, not turned
          (a grant whose window ran out) or unauthorised rotation (a turn no grant explains), with the
          terminal, person and record of the grant and when the turnstile turned.
      catraca export quarantine [--db FILE] [--config FILE] [--format csv|jsonl]
          Prints what terminals sent that could not be read as records, with the reason and the
          message as received (kept, acknowledged, never stored as a record).
      catraca terminals [list] --db FILE | [--config FILE] [--format table|csv|jsonl]
          Lists the terminals that have registered, from the database, with when and from where they were
          last seen (without a verb, or with --db or --format).
      catraca terminal SN <verb> [arguments] [flags]
          Sends a command to one terminal through the daemon's API: info, set-info, time, sync-time,
          open-door, reboot, users, user, user set, logs, door-lock, user-lock, questionnaire, intercom enable,
          raw, ...
          See catraca terminal --help.
      catraca terminals <verb> [arguments] [flags]
          list, or a command to every connected terminal: sync-time, open-door, reboot, info, time, ...
          See catraca terminals --help.
      catraca status [--json]
          Shows the daemon, its store and its terminals, through the API.
      catraca records [--sn SN] [--from D] [--to D] [--enrollid ID] [--limit N] [--after ID] [--all] [--json]
          Lists stored records through the API. See catraca records --help.
      catraca outbox status | retry [--parked] | parked
          What waits for upstream, retrying now, batches upstream refused. See catraca outbox --help.
      catraca turnstiles [--json]
          Lists the turnstiles: their terminals, which way is in, and whether their input is GPIO or simulated.
      catraca passages [--turnstile NAME] [--after ID] [--limit N] [--all] [--json]
          Lists the passages through the API. See catraca passages --help.
      catraca gpio pulse fire-in|exit-button [--ms 80] [--turnstile NAME]
          Turns a turnstile on a simulated input by hand: FIRE IN is direction A, EXIT BUTTON direction B.
      catraca calls [--sn SN] [--limit N] [--json]
          Lists finished intercom calls and monitoring sessions through the API.
      catraca plugins [list] | reload
          The site's rule plugins and their state; reload rescans their directory. See catraca plugins --help.
      catraca version

    The API address and token: --api URL --token T, else $CATRACA_API and $CATRACA_TOKEN, else the config
    file (api.listen, api.token, else the file api.tokenFile, by default api-token beside the database).

    """

func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(("catraca: " + message + "\n").data(using: .utf8)!)
    exit(status)
}

/// Prints the usage and exits when `--help` was given; refuses words the command does not take.
func handleHelpAndExtraWords(_ options: CommandLineArguments, command: String, allowedWords: [[String]] = [[]]) throws {
    if options.isSet("--help") {
        print(usage, terminator: "")
        exit(0)
    }
    guard allowedWords.contains(options.words) else {
        throw CommandLineError.unexpectedWords(command: command, words: options.words)
    }
}

func run(_ arguments: [String]) throws {
    let options = try CommandLineArguments(arguments, valueFlags: RunOptions.valueFlags)
    try handleHelpAndExtraWords(options, command: "run")
    let configuration = try RunOptions.configuration(from: options)
    let logLevel = LevelSwitchLogSink(level: configuration.log.level, next: StandardErrorLogSink())
    let logger = Logger(label: "catraca", level: .trace, sink: logLevel)
    let daemon = Daemon(configuration: configuration, logger: logger, logLevel: logLevel)
    signal(SIGPIPE, SIG_IGN)
    var signalSources: [DispatchSourceSignal] = []
    for number in [SIGTERM, SIGINT] {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            logger.info("signal received; stopping", ["signal": number == SIGTERM ? "TERM" : "INT"])
            daemon.stop()
        }
        source.resume()
        signalSources.append(source)
    }
    signalSources.append(reloadOnHangUp(daemon, options: options, logger: logger))
    try daemon.start()
    daemon.wait()
    _ = signalSources
}

/// SIGHUP reads the config file again with the same flags on top, and hands it to the daemon.
func reloadOnHangUp(_ daemon: Daemon, options: CommandLineArguments, logger: Logger) -> DispatchSourceSignal {
    signal(SIGHUP, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
    source.setEventHandler {
        logger.info("signal received; reloading the configuration", ["signal": "HUP"])
        do {
            daemon.reload(try RunOptions.configuration(from: options))
        } catch {
            daemon.refuseReload(error)
        }
    }
    source.resume()
    return source
}

func backup(_ arguments: [String]) throws {
    let options = try CommandLineArguments(arguments, valueFlags: ["--db", "--config", "--to"])
    try handleHelpAndExtraWords(options, command: "backup")
    guard let copy = options.value("--to") else {
        throw CommandLineError.missingValue("--to (the file to write the copy to)")
    }
    let source = try storePath(options)
    let started = Date()
    let report = try DatabaseBackup(sourcePath: source, copyPath: copy).run()
    let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
    print("backed up \(source) to \(copy): \(report.pages) pages, \(report.bytes) bytes, \(report.steps) steps, "
          + "\(seconds) s; integrity check ok")
}

/// The database to read: `--db`, else the config file's, else the default.
func storePath(_ options: CommandLineArguments) throws -> String {
    if let path = options.value("--db") { return path }
    if let config = options.value("--config") { return try ConfigurationFile.load(path: config).store.path }
    if FileManager.default.fileExists(atPath: RunOptions.defaultConfigPath) {
        return try ConfigurationFile.load(path: RunOptions.defaultConfigPath).store.path
    }
    return Configuration.Store.defaultPath
}

func openReader(_ options: CommandLineArguments) throws -> StoreReader {
    let path = try storePath(options)
    guard FileManager.default.fileExists(atPath: path) else {
        throw CommandLineError.invalidValue(flag: "--db", value: path, expected: "an existing Catraca database")
    }
    return try StoreReader(path: path)
}

func exportRecords(_ arguments: [String]) throws {
    let options = try CommandLineArguments(
        arguments, valueFlags: ["--db", "--config", "--since", "--received-since", "--sn", "--format"])
    try handleHelpAndExtraWords(options, command: "export",
                                allowedWords: [["records"], ["quarantine"], ["passages"]])
    let formatName = options.value("--format") ?? "csv"
    guard let format = RecordExporter.Format(rawValue: formatName) else {
        throw CommandLineError.invalidValue(flag: "--format", value: formatName, expected: "csv or jsonl")
    }
    let reader = try openReader(options)
    defer { reader.close() }
    if options.words == ["quarantine"] {
        let text = QuarantineExport(format: format).render(try reader.quarantine())
        FileHandle.standardOutput.write(text.data(using: .utf8)!)
        return
    }
    if options.words == ["passages"] {
        let text = PassageExport(format: format).render(try reader.passages())
        FileHandle.standardOutput.write(text.data(using: .utf8)!)
        return
    }
    try RecordExporter(reader: reader).write(
        format: format, since: options.value("--since"), sn: options.value("--sn"),
        receivedSince: options.value("--received-since"), to: FileHandle.standardOutput
    )
}

func listTerminals(_ arguments: [String]) throws {
    let options = try CommandLineArguments(arguments, valueFlags: ["--db", "--config", "--format"])
    try handleHelpAndExtraWords(options, command: "terminals")
    let format = options.value("--format") ?? "table"
    guard let listing = TerminalListing.Format(rawValue: format) else {
        throw CommandLineError.invalidValue(flag: "--format", value: format, expected: "table, csv or jsonl")
    }
    let reader = try openReader(options)
    defer { reader.close() }
    let text = TerminalListing(format: listing).render(try reader.terminals())
    FileHandle.standardOutput.write(text.data(using: .utf8)!)
}

/// Whether `catraca terminals ...` is the listing from the database (its form before the API existed):
/// `--db` or `--format` given (only that listing takes them), or no verb and only its own flags. A flag
/// naming the API (`--api`, `--token`, `--json`) asks the API.
func isDatabaseListing(_ arguments: [String]) -> Bool {
    let apiOnly = ["--api", "--token", "--json", "--timeout", "--read-timeout"]
    if arguments.contains(where: { argument in apiOnly.contains { argument == $0 || argument.hasPrefix($0 + "=") } }) {
        return false
    }
    let databaseOnly = ["--db", "--format"]
    let givesDatabaseFlag = arguments.contains { argument in
        databaseOnly.contains { argument == $0 || argument.hasPrefix($0 + "=") }
    }
    if givesDatabaseFlag {
        return true
    }
    guard let options = try? CommandLineArguments(arguments, valueFlags: ["--db", "--config", "--format"]) else {
        return false
    }
    return options.words.isEmpty && !options.isSet("--help")
}

/// `--config FILE` (and the other flags) may come before the command word: `catraca --config c.json5 export ...`.
func commandWordFirst(_ arguments: [String]) -> [String] {
    let valueFlags: Set<String> = ["--config", "--db", "--api", "--token", "--timeout", "--read-timeout", "--format",
                                   "--listen", "--api-listen", "--log-level", "--plugins-directory"]
    var leading: [String] = []
    var index = 0
    while index < arguments.count, arguments[index].hasPrefix("--"), arguments[index] != "--help",
          arguments[index] != "--version" {
        leading.append(arguments[index])
        if valueFlags.contains(arguments[index]), index + 1 < arguments.count {
            leading.append(arguments[index + 1])
            index += 1
        }
        index += 1
    }
    guard !leading.isEmpty, index < arguments.count else { return arguments }
    return [arguments[index]] + leading + arguments[(index + 1)...]
}

let given = commandWordFirst(Array(CommandLine.arguments.dropFirst()))
// Global flags of the API commands may come before the command word; the other commands take none of them.
let reordered = GlobalFlags.movedToEnd(given)
let arguments = CLIRunner.scopes.contains(reordered.first ?? "") ? reordered : given
// The database, its backups and the plugins' stores hold names, photos and who passed when: files this process
// creates are readable by its owner and group (the service's `catraca` group), never by every user of the box.
umask(0o027)
do {
    switch arguments.first {
    case "run":
        try run(Array(arguments.dropFirst()))
    case "backup":
        try backup(Array(arguments.dropFirst()))
    case "export":
        try exportRecords(Array(arguments.dropFirst()))
    case "terminals" where isDatabaseListing(Array(arguments.dropFirst())):
        try listTerminals(Array(arguments.dropFirst()).filter { $0 != "list" })
    case let scope? where CLIRunner.scopes.contains(scope):
        exit(CLIRunner.forProcess().run(arguments))
    case "version", "--version":
        print(CatracaVersion.current)
    case "help", "--help", "-h":
        print(usage, terminator: "")
    case nil:
        FileHandle.standardError.write(usage.data(using: .utf8)!)
        exit(2)
    case let command?:
        throw CommandLineError.unknownCommand(command)
    }
} catch let error as StoreError {
    // A bad filter (a time that is no time) is the operator's to fix, like a bad flag.
    if case .invalidArgument = error.kind { fail("\(error)", status: 2) }
    fail("\(error)", status: 1)
} catch {
    fail("\(error)", status: error is CommandLineError ? 2 : 1)
}
