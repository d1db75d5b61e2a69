import CatracaCore
import CatracaTerminal

/// The metrics the daemon keeps about terminals, records, commands and the store, registered on the
/// daemon's `MetricsRegistry` (served at `GET /metrics`). Other parts (passages, the outbox, plugins)
/// register theirs on the same registry; see `MetricsRegistry` for how.
final class DaemonMetrics {
    let terminalConnections: Gauge
    let registrations: Counter
    let recordsReceived: Counter
    let recordsStored: Counter
    let recordsDuplicate: Counter
    let recordsQuarantined: Counter
    let acknowledgementLatency: Histogram
    let commands: Counter
    let storeCommitLatency: Histogram
    let storeFailedCommits: Counter

    init(registry: MetricsRegistry) {
        registry.gauge("catraca_build_info", help: "Always 1; the running version in a label.",
                       labels: ["version"]) { [(labels: [CatracaVersion.current], value: 1)] }
        terminalConnections = registry.gauge(
            "catraca_terminal_connections", help: "Open WebSocket connections from terminals.")
        registrations = registry.counter(
            "catraca_terminal_registrations_total", help: "Terminal registrations (reg) by outcome: accepted, refused.",
            labels: ["outcome"])
        for outcome in ["accepted", "refused"] { registrations.increment(by: 0, labels: [outcome]) }
        recordsReceived = registry.counter(
            "catraca_records_received_total",
            help: "Records received from terminals (sendlog and log listings), quarantined ones included.")
        recordsStored = registry.counter(
            "catraca_records_stored_total", help: "Records committed to the store as new.")
        recordsDuplicate = registry.counter(
            "catraca_records_duplicate_total", help: "Records received again that the store already held.")
        recordsQuarantined = registry.counter(
            "catraca_records_quarantined_total", help: "Entries that could not be read as records, kept in quarantine.")
        acknowledgementLatency = registry.histogram(
            "catraca_sendlog_ack_seconds", help: "From a sendlog's arrival to its acknowledgement being written.")
        commands = registry.counter(
            "catraca_commands_total",
            help: "Server commands to terminals by command and outcome: replied, sent, refused, timeout, offline, "
                + "unknown, disconnected, protocol_error, queue_full, store_unavailable.",
            labels: ["command", "outcome"])
        storeCommitLatency = registry.histogram(
            "catraca_store_commit_seconds", help: "Duration of each store transaction (group commit), synced.")
        storeFailedCommits = registry.counter(
            "catraca_store_failed_commits_total", help: "Store transactions that failed and were rolled back.")
    }

    /// Counts what a stored batch did.
    func countStored(_ outcome: BatchOutcome) {
        recordsStored.increment(by: Double(outcome.inserted))
        recordsDuplicate.increment(by: Double(outcome.duplicates))
        recordsQuarantined.increment(by: Double(outcome.quarantined))
    }

    /// Counts a batch as it arrives.
    func countReceived(_ batch: RecordBatch) {
        recordsReceived.increment(by: Double(batch.records.count + batch.quarantined.count))
    }

    /// Counts a finished command by its protocol name and how it ended.
    func countCommand(_ name: String, _ result: Result<CommandOutcome, CommandFailure>) {
        commands.increment(labels: [name, DaemonMetrics.outcome(result)])
    }

    static func outcome(_ result: Result<CommandOutcome, CommandFailure>) -> String {
        switch result {
        case .success(.replied): return "replied"
        case .success(.sent): return "sent"
        case .failure(.refused): return "refused"
        case .failure(.timeout): return "timeout"
        case .failure(.terminalOffline): return "offline"
        case .failure(.terminalUnknown): return "unknown"
        case .failure(.disconnected): return "disconnected"
        case .failure(.protocolError): return "protocol_error"
        case .failure(.queueFull): return "queue_full"
        case .failure(.storeUnavailable): return "store_unavailable"
        }
    }
}
