import Foundation

/// A value that goes up and down, set by its owner or read at render time.
public final class Gauge: RenderableMetric, @unchecked Sendable {
    let name: String
    let help: String
    let labelNames: [String]
    private let sample: (() -> [(labels: [String], value: Double)])?
    private let lock = NSLock()
    private var series = MetricSeries<Double>()

    init(name: String, help: String, labelNames: [String], sample: (() -> [(labels: [String], value: Double)])?) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
        self.sample = sample
    }

    public func set(_ value: Double, labels: [String] = []) {
        precondition(labels.count == labelNames.count, "\(name) takes labels \(labelNames), given \(labels)")
        lock.lock()
        series[labels] = value
        lock.unlock()
    }

    /// Adds `amount`, which may be negative.
    public func add(_ amount: Double, labels: [String] = []) {
        precondition(labels.count == labelNames.count, "\(name) takes labels \(labelNames), given \(labels)")
        lock.lock()
        series[labels, default: 0] += amount
        lock.unlock()
    }

    public func value(labels: [String] = []) -> Double {
        lock.lock()
        defer { lock.unlock() }
        return series[labels] ?? 0
    }

    func render(into text: inout String) {
        var snapshot: [(labels: [String], value: Double)]
        if let sample {
            snapshot = sample().sorted { $0.labels.lexicographicallyPrecedes($1.labels) }
        } else {
            lock.lock()
            snapshot = series.sorted
            lock.unlock()
            if snapshot.isEmpty && labelNames.isEmpty { snapshot = [(labels: [], value: 0)] }
        }
        MetricText.header(name: name, help: help, type: "gauge", into: &text)
        for (labels, value) in snapshot {
            precondition(labels.count == labelNames.count, "\(name) sampled labels \(labels), expected \(labelNames)")
            MetricText.sample(name, labelNames, labels, value, into: &text)
        }
    }
}
