#if canImport(Glibc)
import Glibc
#endif
import CatracaCore
import CatracaGPIO
import CatracaServer
import Foundation

let usage = """
    catraca-gpio-probe — watches a GPIO chip's two turnstile lines and prints one line per pulse

    usage: catraca-gpio-probe [--chip auto|NAME|PATH] [--fire-in LINE] [--exit-button LINE] [--pull-up]
                              [--debounce-ms N] [--min-pulse-ms N] [--max-pulse-ms N]
                              [--count N] [--seconds N] [--raw] [--bench]

      --chip          the chip, e.g. gpiochip0 or /dev/gpiochip0 (default auto: the first with both lines)
      --fire-in       relay 2's line, an offset or a name (default the line named fire-in)
      --exit-button   relay 3's line, an offset or a name (default the line named exit-button)
      --pull-up       ask the chip for its pull-up bias on both lines
      --debounce-ms, --min-pulse-ms, --max-pulse-ms   the pulse filter (defaults 5, 20, 3000)
      --count N       stop after N pulses;  --seconds N  stop after N seconds; otherwise at SIGTERM/SIGINT
      --raw           also print every edge as read
      --bench         at the end, print latency percentiles and the pulse rate

    Output: a `ready` line once the lines are requested; then per pulse
      line=fire-in fell=SECONDS rose=SECONDS width_ms=W delivered_ms=D
    (instants on CLOCK_MONOTONIC, the kernel's event timestamps; D is from the rising edge to delivery,
    which includes the debounce wait), `spike`, `stuck` and `released` lines, and a `summary` line.
    Exit status 0, 2 on bad usage or when no chip could be opened.

    """

struct ProbeOptions {
    var configuration = GPIOInputConfiguration()
    var count: Int?
    var seconds: Double?
    var raw = false
    var bench = false
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write("catraca-gpio-probe: \(message)\n".data(using: .utf8)!)
    exit(2)
}

func parseOptions(_ arguments: [String]) -> ProbeOptions {
    var options = ProbeOptions()
    var filter = PulseFilterSettings.default
    var remaining = arguments[...]
    func value(_ flag: String) -> String {
        guard let next = remaining.popFirst() else { fail("\(flag) needs a value\n\n\(usage)") }
        return next
    }
    func milliseconds(_ flag: String) -> TimeSpan {
        guard let number = Int64(value(flag)), number >= 0 else { fail("\(flag) takes whole milliseconds") }
        return .milliseconds(number)
    }
    while let flag = remaining.popFirst() {
        switch flag {
        case "--chip": options.configuration.source = .init(parsing: value(flag))
        case "--fire-in": options.configuration.fireIn = GPIOLineSelector(parsing: value(flag))
        case "--exit-button": options.configuration.exitButton = GPIOLineSelector(parsing: value(flag))
        case "--pull-up": options.configuration.pullUp = true
        case "--debounce-ms": filter.debounce = milliseconds(flag)
        case "--min-pulse-ms": filter.minPulse = milliseconds(flag)
        case "--max-pulse-ms": filter.maxPulse = milliseconds(flag)
        case "--count":
            guard let count = Int(value(flag)), count > 0 else { fail("--count takes a positive number") }
            options.count = count
        case "--seconds":
            guard let limit = Double(value(flag)), limit > 0 else { fail("--seconds takes a positive number") }
            options.seconds = limit
        case "--raw": options.raw = true
        case "--bench": options.bench = true
        case "-h", "--help": print(usage, terminator: ""); exit(0)
        default: fail("unknown argument \(flag)\n\n\(usage)")
        }
    }
    if let problem = filter.problem { fail(problem) }
    options.configuration.filter = filter
    return options
}

func seconds(_ instant: Instant) -> String {
    String(format: "%llu.%09llu", instant.nanoseconds / 1_000_000_000, instant.nanoseconds % 1_000_000_000)
}

func milliseconds(_ span: TimeSpan) -> String { String(format: "%.3f", span.milliseconds) }

/// The value below which `fraction` of `values` lie (nearest rank).
func percentile(_ values: [TimeSpan], _ fraction: Double) -> TimeSpan? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let rank = Int((fraction * Double(sorted.count)).rounded(.up))
    return sorted[max(0, min(sorted.count - 1, rank - 1))]
}

/// What the probe counts while it runs, and prints at the end.
final class ProbeTally {
    var pulses: [TurnstileLine: Int] = [:]
    var spikes = 0
    var stuck = 0
    var edgeReadDelays: [TimeSpan] = []
    var deliveryDelays: [TimeSpan] = []
    var firstFall: Instant?
    var lastRise: Instant?

    var pulseCount: Int { pulses.values.reduce(0, +) }

    func summary(bounces: Int, repeatedEdges: Int) -> String {
        let lines = TurnstileLine.allCases.map { "\($0)=\(pulses[$0] ?? 0)" }.joined(separator: " ")
        return "summary \(lines) spikes=\(spikes) stuck=\(stuck) bounces=\(bounces) repeated_edges=\(repeatedEdges)"
    }

    func benchLines() -> [String] {
        func figures(_ values: [TimeSpan], scale: Double, unit: String) -> String {
            let p50 = percentile(values, 0.5).map { String(format: "%.1f", $0.milliseconds * scale) } ?? "-"
            let p99 = percentile(values, 0.99).map { String(format: "%.1f", $0.milliseconds * scale) } ?? "-"
            let max = values.max().map { String(format: "%.1f", $0.milliseconds * scale) } ?? "-"
            return "n=\(values.count) p50_\(unit)=\(p50) p99_\(unit)=\(p99) max_\(unit)=\(max)"
        }
        var lines = [
            "bench edge_to_read " + figures(edgeReadDelays, scale: 1000, unit: "us"),
            "bench rise_to_delivered " + figures(deliveryDelays, scale: 1, unit: "ms"),
        ]
        if let firstFall, let lastRise, lastRise > firstFall, pulseCount > 1 {
            let span = lastRise.since(firstFall)
            let rate = Double(pulseCount) / span.seconds
            lines.append(String(format: "bench rate pulses=%d span_ms=%.1f pulses_per_s=%.1f",
                                pulseCount, span.milliseconds, rate))
        }
        return lines
    }
}

setvbuf(stdout, nil, _IOLBF, 0)
let options = parseOptions(Array(CommandLine.arguments.dropFirst()))
let logger = Logger(label: "probe", level: .info, sink: StandardErrorLogSink())
let loop: EventLoop
do { loop = try EventLoop() } catch { fail("cannot create the event loop: \(error)") }

let input: TurnstileInput
do {
    input = try TurnstileInputChooser.makeInput(configuration: options.configuration, loop: loop, logger: logger)
} catch {
    fail("\(error)")
}
guard let gpio = input as? GPIODInput else {
    fail("no GPIO chip on this machine (no /dev/gpiochip*), or --chip simulated: nothing to probe")
}

let tally = ProbeTally()
gpio.edgeObserver = { edges, readAt in
    for edge in edges {
        tally.edgeReadDelays.append(readAt.since(edge.at))
        if options.raw {
            let kind = edge.kind == .activated ? "fell" : "rose"
            let delay = Int(readAt.since(edge.at).milliseconds * 1000)
            print("edge line=\(edge.line) kind=\(kind) at=\(seconds(edge.at)) read_us=\(delay)")
        }
    }
}

func report(_ event: PulseFilterEvent) {
    let now = loop.timeSource.now
    switch event {
    case .pulse(let pulse):
        tally.pulses[pulse.line, default: 0] += 1
        tally.deliveryDelays.append(now.since(pulse.roseAt))
        tally.firstFall = tally.firstFall ?? pulse.fellAt
        tally.lastRise = pulse.roseAt
        print("line=\(pulse.line) fell=\(seconds(pulse.fellAt)) rose=\(seconds(pulse.roseAt)) "
              + "width_ms=\(milliseconds(pulse.width)) delivered_ms=\(milliseconds(now.since(pulse.roseAt)))")
        if let count = options.count, tally.pulseCount >= count { loop.stop() }
    case .spike(let line, let fellAt, let width):
        tally.spikes += 1
        print("spike line=\(line) fell=\(seconds(fellAt)) width_ms=\(milliseconds(width))")
    case .stuck(let line, let since):
        tally.stuck += 1
        print("stuck line=\(line) since=\(seconds(since))")
    case .unstuck(let line, let roseAt, let width):
        print("released line=\(line) rose=\(seconds(roseAt)) width_ms=\(milliseconds(width))")
    }
}

signal(SIGTERM, SIG_IGN)
signal(SIGINT, SIG_IGN)
let stopSignals = [SIGTERM, SIGINT].map { number -> DispatchSourceSignal in
    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
    source.setEventHandler { loop.stop() }
    source.resume()
    return source
}

loop.execute {
    do {
        try gpio.start(deliver: report)
    } catch {
        fail("\(error)")
    }
    if let limit = options.seconds {
        loop.scheduleTimer(at: loop.timeSource.now + .seconds(limit)) { loop.stop() }
    }
    print("ready \(gpio.summary)")
}
loop.run()

print(tally.summary(bounces: gpio.bounces, repeatedEdges: gpio.repeatedEdges))
if options.bench {
    for line in tally.benchLines() { print(line) }
}
gpio.stop()
