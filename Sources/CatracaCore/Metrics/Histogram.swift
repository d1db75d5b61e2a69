import Foundation

/// Observations counted into buckets by upper bound, with their sum and count: latencies.
public final class Histogram: RenderableMetric, @unchecked Sendable {
    struct Buckets {
        var counts: [UInt64]
        var sum = 0.0
        var count: UInt64 = 0
    }

    let name: String
    let help: String
    let labelNames: [String]
    /// Ascending upper bounds, without `+Inf`.
    let bounds: [Double]
    private let lock = NSLock()
    private var series = MetricSeries<Buckets>()

    init(name: String, help: String, labelNames: [String], bounds: [Double]) {
        precondition(!labelNames.contains("le"), "\(name): le is the histogram's own label")
        precondition(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }, "\(name): bounds must ascend")
        self.name = name
        self.help = help
        self.labelNames = labelNames
        self.bounds = bounds.filter { $0.isFinite }
    }

    /// Counts `value` (seconds, for latencies) in the series with these label values.
    public func observe(_ value: Double, labels: [String] = []) {
        precondition(labels.count == labelNames.count, "\(name) takes labels \(labelNames), given \(labels)")
        let index = bounds.firstIndex { value <= $0 } ?? bounds.count
        lock.lock()
        var buckets = series[labels] ?? Buckets(counts: Array(repeating: 0, count: bounds.count + 1))
        buckets.counts[index] += 1
        buckets.sum += value
        buckets.count += 1
        series[labels] = buckets
        lock.unlock()
    }

    /// Observations in the series so far.
    public func count(labels: [String] = []) -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return series[labels]?.count ?? 0
    }

    func render(into text: inout String) {
        lock.lock()
        var snapshot = series.sorted
        lock.unlock()
        if snapshot.isEmpty && labelNames.isEmpty {
            snapshot = [(labels: [], value: Buckets(counts: Array(repeating: 0, count: bounds.count + 1)))]
        }
        MetricText.header(name: name, help: help, type: "histogram", into: &text)
        let bucketLabels = labelNames + ["le"]
        for (labels, buckets) in snapshot {
            var cumulative: UInt64 = 0
            for (bound, count) in zip(bounds, buckets.counts) {
                cumulative += count
                MetricText.sample(name + "_bucket", bucketLabels, labels + [MetricText.number(bound)],
                                  Double(cumulative), into: &text)
            }
            MetricText.sample(name + "_bucket", bucketLabels, labels + ["+Inf"], Double(buckets.count), into: &text)
            MetricText.sample(name + "_sum", labelNames, labels, buckets.sum, into: &text)
            MetricText.sample(name + "_count", labelNames, labels, Double(buckets.count), into: &text)
        }
    }
}
