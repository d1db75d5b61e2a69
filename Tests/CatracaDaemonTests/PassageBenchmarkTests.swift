import CatracaCore
import Testing
@testable import CatracaDaemon

/// The passages benchmark measures real turns: each of its simulated turns is a committed passage turned A.
@Suite struct PassageBenchmarkTests {
    @Test func everySimulatedTurnIsOneTurnedAPassageWithItsLatency() throws {
        var settings = PassageBenchmark.Settings()
        settings.turns = 5
        settings.timeout = .seconds(20)
        let sink = MemoryLogSink()
        let benchmark = try PassageBenchmark(settings: settings, logger: Logger(label: "bench", sink: sink))
        var readyCalls = 0
        let result = benchmark.run { readyCalls += 1 }

        #expect(readyCalls == 1)
        #expect(result.outcomes == ["turned_a": 5])
        #expect(result.latencies.count == 5)
        // A pulse is delivered only once its debounce (5 ms) after the release has run out.
        #expect(result.latencies.allSatisfy { $0 >= .milliseconds(5) })
        #expect(result.latency(percentile: 0.5) == result.latencies[2])
        #expect(result.latency(percentile: 0.99) == result.latencies[4])
    }

    @Test func percentilesOfNoTurnsAreAbsent() {
        let result = PassageBenchmark.Result(latencies: [], outcomes: [:], elapsed: .zero)
        #expect(result.latency(percentile: 0.5) == nil)
    }
}
