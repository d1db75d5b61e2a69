import CatracaCore
import Testing

@Suite struct MetricsRegistryTests {
    @Test func countersRenderHelpTypeAndOneLinePerLabelSetSorted() {
        let metrics = MetricsRegistry()
        let registrations = metrics.counter("catraca_terminal_registrations_total", help: "Registrations by outcome.",
                                            labels: ["outcome"])
        registrations.increment(labels: ["refused"])
        registrations.increment(by: 2, labels: ["accepted"])

        #expect(metrics.exposition() == """
            # HELP catraca_terminal_registrations_total Registrations by outcome.
            # TYPE catraca_terminal_registrations_total counter
            catraca_terminal_registrations_total{outcome="accepted"} 2
            catraca_terminal_registrations_total{outcome="refused"} 1

            """)
    }

    @Test func metricsWithoutLabelsShowZeroBeforeTheFirstUpdate() {
        let metrics = MetricsRegistry()
        _ = metrics.counter("catraca_records_received_total", help: "Records received.")
        #expect(metrics.exposition() == """
            # HELP catraca_records_received_total Records received.
            # TYPE catraca_records_received_total counter
            catraca_records_received_total 0

            """)
        let latency = metrics.histogram("latency_seconds", help: "L.", buckets: [1])
        #expect(metrics.exposition().hasSuffix("""
            latency_seconds_bucket{le="1"} 0
            latency_seconds_bucket{le="+Inf"} 0
            latency_seconds_sum 0
            latency_seconds_count 0

            """))
        #expect(latency.count() == 0)
    }

    @Test func labelValuesEscapeBackslashQuoteAndLineFeedAndHelpEscapesBackslashAndLineFeed() {
        let metrics = MetricsRegistry()
        let gauge = metrics.gauge("odd", help: "a \\ b\nc \"quoted\"", labels: ["v"])
        gauge.set(1.5, labels: ["a\\b\"c\r\nd"])

        #expect(metrics.exposition() == """
            # HELP odd a \\\\ b\\nc "quoted"
            # TYPE odd gauge
            odd{v="a\\\\b\\"c\r\\nd"} 1.5

            """)
    }

    @Test func histogramsRenderCumulativeBucketsWithInfSumAndCount() {
        let metrics = MetricsRegistry()
        let latency = metrics.histogram("catraca_store_commit_seconds", help: "Commit time.", buckets: [0.01, 0.1])
        latency.observe(0.005)
        latency.observe(0.01)
        latency.observe(0.05)
        latency.observe(3)

        #expect(metrics.exposition() == """
            # HELP catraca_store_commit_seconds Commit time.
            # TYPE catraca_store_commit_seconds histogram
            catraca_store_commit_seconds_bucket{le="0.01"} 2
            catraca_store_commit_seconds_bucket{le="0.1"} 3
            catraca_store_commit_seconds_bucket{le="+Inf"} 4
            catraca_store_commit_seconds_sum 3.065
            catraca_store_commit_seconds_count 4

            """)
        #expect(latency.count() == 4)
    }

    @Test func histogramLabelsComeBeforeLe() {
        let metrics = MetricsRegistry()
        let calls = metrics.histogram("plugin_call_seconds", help: "Calls.", buckets: [1], labels: ["plugin"])
        calls.observe(2, labels: ["lpr"])

        let lines = metrics.exposition().split(separator: "\n")
        #expect(lines.contains("plugin_call_seconds_bucket{plugin=\"lpr\",le=\"1\"} 0"))
        #expect(lines.contains("plugin_call_seconds_bucket{plugin=\"lpr\",le=\"+Inf\"} 1"))
        #expect(lines.contains("plugin_call_seconds_count{plugin=\"lpr\"} 1"))
    }

    @Test func sampledGaugesAreReadAtRenderTime() {
        let metrics = MetricsRegistry()
        var backlog = 3
        metrics.gauge("catraca_outbox_backlog", help: "Waiting.") { [([], Double(backlog))] }
        #expect(metrics.exposition().hasSuffix("catraca_outbox_backlog 3\n"))
        backlog = 7
        #expect(metrics.exposition().hasSuffix("catraca_outbox_backlog 7\n"))
    }

    @Test func gaugesGoUpAndDownAndSpecialValuesUseTheFormatsSpelling() {
        let metrics = MetricsRegistry()
        let connections = metrics.gauge("connections", help: "Open.")
        connections.add(3)
        connections.add(-1)
        #expect(connections.value() == 2)
        connections.set(.infinity)
        #expect(metrics.exposition().hasSuffix("connections +Inf\n"))
        connections.set(.nan)
        #expect(metrics.exposition().hasSuffix("connections NaN\n"))
    }

    @Test func countersTakeUpdatesFromManyThreads() async {
        let metrics = MetricsRegistry()
        let received = metrics.counter("received_total", help: "Received.")
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<1_000 { received.increment() } }
            }
        }
        #expect(received.value() == 8_000)
    }
}

@Suite struct LevelSwitchLogSinkTests {
    @Test func entriesBelowTheSwitchedLevelAreDroppedAndTheLevelCanChangeLive() {
        let memory = MemoryLogSink()
        let switchSink = LevelSwitchLogSink(level: .info, next: memory)
        let logger = Logger(label: "t", level: .trace, sink: switchSink)
        logger.debug("hidden")
        switchSink.level = .debug
        logger.debug("shown")
        #expect(memory.entries.map(\.message) == ["shown"])
    }
}
