import CatracaCore

/// Totals over a fleet's reports, as the emulator and the benchmark print them.
public struct EmulatorSummary {
    public let reports: [EmulatorReport]
    public let expectedRecords: Int

    public init(reports: [EmulatorReport], expectedRecords: Int) {
        self.reports = reports
        self.expectedRecords = expectedRecords
    }

    public var recordsAcknowledged: Int { reports.reduce(0) { $0 + $1.recordsAcknowledged } }
    public var registered: Int { reports.filter(\.registered).count }
    public var resends: Int { reports.reduce(0) { $0 + $1.resends } }
    public var reconnects: Int { reports.reduce(0) { $0 + $1.reconnects } }

    /// Every terminal registered and, unless idle, had all its records acknowledged.
    public var succeeded: Bool {
        reports.allSatisfy { $0.registered && $0.problems.isEmpty && $0.recordsAcknowledged >= expectedRecords }
    }

    /// The acknowledgement latency at `fraction` (0.5 for the median), over all batches.
    public func ackLatency(percentile fraction: Double) -> TimeSpan? {
        let sorted = reports.flatMap(\.ackLatencies).sorted()
        guard !sorted.isEmpty else { return nil }
        let index = min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)
        return sorted[max(0, index)]
    }

    public var text: String {
        var lines: [String] = []
        for report in reports where !report.problems.isEmpty || report.refusedReason != nil
            || report.recordsAcknowledged < expectedRecords {
            var line = "terminal sn=\(report.serialNumber) registered=\(report.registered)"
                + " acknowledged=\(report.recordsAcknowledged)/\(expectedRecords)"
            if let reason = report.refusedReason { line += " refused=\"\(reason)\"" }
            if !report.problems.isEmpty { line += " problems=\"\(report.problems.prefix(3).joined(separator: "; "))\"" }
            if let reason = report.lastDisconnect { line += " last_disconnect=\"\(reason)\"" }
            lines.append(line)
        }
        var total = "terminals=\(reports.count) registered=\(registered) records_acknowledged=\(recordsAcknowledged)"
            + " resends=\(resends) reconnects=\(reconnects)"
        if let p50 = ackLatency(percentile: 0.5), let p99 = ackLatency(percentile: 0.99) {
            total += " ack_p50_ms=\(format(p50.milliseconds)) ack_p99_ms=\(format(p99.milliseconds))"
        }
        lines.append(total)
        return lines.joined(separator: "\n") + "\n"
    }

    private func format(_ value: Double) -> String {
        String(Double(Int(value * 100)) / 100)
    }
}
