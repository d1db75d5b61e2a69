import CatracaCore
import Foundation

/// Runs one operator command — `status`, `records`, `terminal SN ...`, `terminals ...`, `gpio pulse ...`,
/// `turnstiles`, `passages` — against the API and returns its exit code. Output, files, environment and clock
/// are injected so that tests run it whole against a loopback server.
public struct CLIRunner {
    public var environment: [String: String]
    /// Receives what goes to standard output.
    public var standardOutput: (String) -> Void
    /// Receives what goes to standard error (one line per error).
    public var standardError: (String) -> Void
    /// Reads a file, nil when it cannot be read.
    public var readFile: (String) -> [UInt8]?
    /// Writes a file (`user ID --credential face --out FILE`).
    public var writeFile: (String, [UInt8]) throws -> Void
    /// Now, for `sync-time`.
    public var now: () -> Date

    public init(environment: [String: String], standardOutput: @escaping (String) -> Void,
                standardError: @escaping (String) -> Void, readFile: @escaping (String) -> [UInt8]?,
                writeFile: @escaping (String, [UInt8]) throws -> Void, now: @escaping () -> Date = Date.init) {
        self.environment = environment
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.readFile = readFile
        self.writeFile = writeFile
        self.now = now
    }

    /// The runner for the real process: its environment, stdout/stderr, files and clock.
    public static func forProcess() -> CLIRunner {
        CLIRunner(
            environment: ProcessInfo.processInfo.environment,
            standardOutput: { FileHandle.standardOutput.write(Data($0.utf8)) },
            standardError: { FileHandle.standardError.write(Data($0.utf8)) },
            readFile: { FileManager.default.contents(atPath: $0).map { Array($0) } },
            writeFile: { path, bytes in try Data(bytes).write(to: URL(fileURLWithPath: path)) })
    }

    /// The commands this runner answers (the first word after `catraca`).
    public static let scopes: Set<String> = ["status", "records", "terminal", "terminals", "outbox", "gpio",
                                             "turnstiles", "passages", "calls", "plugins"]

    /// Runs `arguments` (starting with the scope word, e.g. `["terminal", "SN", "info"]`) to an exit code.
    public func run(_ given: [String]) -> Int32 {
        let arguments = GlobalFlags.movedToEnd(given)
        do {
            switch arguments.first {
            case "status": return try runStatus(Array(arguments.dropFirst()))
            case "records": return try runRecords(Array(arguments.dropFirst()))
            case "terminal": return try runTerminal(Array(arguments.dropFirst()))
            case "terminals": return try runFleet(Array(arguments.dropFirst()))
            case "outbox": return try runOutbox(Array(arguments.dropFirst()))
            case "gpio": return try runGPIO(Array(arguments.dropFirst()))
            case "turnstiles": return try runTurnstiles(Array(arguments.dropFirst()))
            case "passages": return try runPassages(Array(arguments.dropFirst()))
            case "calls": return try runCalls(Array(arguments.dropFirst()))
            case "plugins": return try runPlugins(Array(arguments.dropFirst()))
            default: throw CLIUsageError("unknown command \"\(arguments.first ?? "")\"")
            }
        } catch let error as CLIUsageError {
            return fail(error.description, code: ExitCode.usage)
        } catch let error as APIClientError {
            if case .invalidBaseURL = error { return fail(error.description, code: ExitCode.usage) }
            return fail(error.description, code: ExitCode.failure)
        } catch {
            return fail("\(error)", code: ExitCode.failure)
        }
    }

    func fail(_ message: String, code: Int32) -> Int32 {
        standardError("catraca: \(message)\n")
        return code
    }

    /// The client for the endpoint the global flags, environment and config file name.
    func client(_ options: ParsedCommandLine) throws -> (APIClient, APIEndpoint) {
        let endpoint = try APIEndpoint.resolve(
            api: options.value("--api"), token: options.value("--token"), configPath: options.value("--config"),
            environment: environment, readFile: readFile)
        let client = APIClient(baseURL: endpoint.baseURL, token: endpoint.token)
        if let text = options.value("--read-timeout") {
            guard let seconds = Double(text), seconds > 0 else {
                throw CLIUsageError("--read-timeout \"\(text)\" is not a number of seconds")
            }
            client.readTimeout = seconds
        }
        if let seconds = try replyTimeout(options) { client.readTimeout = max(client.readTimeout, seconds + 10) }
        return (client, endpoint)
    }

    /// `--timeout`, the reply timeout the daemon should use for this call.
    func replyTimeout(_ options: ParsedCommandLine) throws -> Double? {
        guard let text = options.value("--timeout") else { return nil }
        guard let seconds = Double(text), seconds > 0 else {
            throw CLIUsageError("--timeout \"\(text)\" is not a number of seconds")
        }
        return seconds
    }

    /// The context verbs build with: the site's local time now (in the config file's `site.timeZone`, else
    /// the box's zone), files read through `readFile`.
    func verbContext(configPath: String?) -> VerbContext {
        let zone = APIEndpoint.siteTimeZone(configPath: configPath, readFile: readFile)
        let siteTime = zone.flatMap { SiteTime(identifier: $0) } ?? SiteTime()
        let date = now()
        let files = FileSnapshot(reader: readFile)
        return VerbContext(siteNow: { siteTime.format(date) }, readFile: { try files.read($0) })
    }

    /// Prints a failed response: the API's JSON to stdout with `--json`, one line to stderr always.
    func report(_ response: APIResponse, json: Bool) -> Int32 {
        let error = APIErrorBody(response: response)
        if json { standardOutput(response.text + "\n") }
        return fail(error.sentence, code: error.exitCode)
    }
}

/// Reads files for verbs through the runner's reader; a file that cannot be read is an error naming it.
struct FileSnapshot: @unchecked Sendable {
    let reader: (String) -> [UInt8]?

    func read(_ path: String) throws -> [UInt8] {
        guard let bytes = reader(path) else { throw APIEndpointError("no such file or not readable") }
        return bytes
    }
}
