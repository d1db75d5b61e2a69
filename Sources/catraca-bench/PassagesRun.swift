import CatracaCore
import CatracaDaemon
import Foundation

/// The turnstile passages benchmark: pulse end to passage committed, through the daemon's own turnstile path in
/// this process (see `PassageBenchmark`). Prints one `passages ...` line and returns whether every turn became a
/// `turned_a` passage.
func runPassages(options: [String: String], turns defaultTurns: Int) -> Bool {
    var settings = PassageBenchmark.Settings()
    settings.turns = Int(options["--turns"] ?? "") ?? defaultTurns
    settings.chip = options["--chip"] ?? "simulated"
    if let text = options["--debounce-ms"] {
        guard let value = Double(text) else { fail("--debounce-ms \"\(text)\": expected a number") }
        settings.debounceMilliseconds = value
    }
    if let text = options["--min-pulse-ms"] {
        guard let value = Double(text) else { fail("--min-pulse-ms \"\(text)\": expected a number") }
        settings.minPulseMilliseconds = value
    }
    if let text = options["--timeout"] {
        guard let value = Double(text), value > 0 else { fail("--timeout \"\(text)\": expected seconds") }
        settings.timeout = .seconds(value)
    }
    guard settings.turns >= 1 else { fail("--turns must be at least 1") }

    let logger = Logger(label: "bench", level: .warning, sink: StandardErrorLogSink())
    let benchmark: PassageBenchmark
    do {
        benchmark = try PassageBenchmark(settings: settings, logger: logger)
    } catch {
        fail("the passages benchmark could not start on input \(settings.chip): \(error)")
    }
    let result = benchmark.run {
        if settings.chip != "simulated" { print("ready turns=\(settings.turns) chip=\(settings.chip)") }
        fflush(stdout)
    }

    let turned = result.outcomes["turned_a", default: 0]
    let others = result.outcomes.filter { $0.key != "turned_a" }.sorted { $0.key < $1.key }
        .map { " \($0.key)=\($0.value)" }.joined()
    print("passages input=\(settings.chip) turns=\(settings.turns) turned_a=\(turned)\(others)"
        + " p50_ms=\(figure(result.latency(percentile: 0.5))) p99_ms=\(figure(result.latency(percentile: 0.99)))"
        + " max_ms=\(figure(result.latencies.last)) elapsed_s=\(String(format: "%.1f", result.elapsed.seconds))")
    fflush(stdout)
    return turned == settings.turns && result.outcomes.count == 1
}

private func figure(_ span: TimeSpan?) -> String { span.map { String(format: "%.2f", $0.milliseconds) } ?? "-" }
