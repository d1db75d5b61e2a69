import Foundation

/// A count that only goes up, one series per set of label values.
public final class Counter: RenderableMetric, @unchecked Sendable {
    let name: String
    let help: String
    let labelNames: [String]
    private let lock = NSLock()
    private var series = MetricSeries<Double>()

    init(name: String, help: String, labelNames: [String]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
    }

    /// Adds `amount` (not negative) to the series with these label values.
    public func increment(by amount: Double = 1, labels: [String] = []) {
        precondition(labels.count == labelNames.count, "\(name) takes labels \(labelNames), given \(labels)")
        precondition(amount >= 0, "\(name) is a counter; it cannot go down by \(amount)")
        lock.lock()
        series[labels, default: 0] += amount
        lock.unlock()
    }

    /// The series' value; 0 when never incremented.
    public func value(labels: [String] = []) -> Double {
        lock.lock()
        defer { lock.unlock() }
        return series[labels] ?? 0
    }

    func render(into text: inout String) {
        lock.lock()
        var snapshot = series.sorted
        lock.unlock()
        // A series without labels exists from the start, at zero, so that rates work from the first scrape.
        if snapshot.isEmpty && labelNames.isEmpty { snapshot = [(labels: [], value: 0)] }
        MetricText.header(name: name, help: help, type: "counter", into: &text)
        for (labels, value) in snapshot {
            MetricText.sample(name, labelNames, labels, value, into: &text)
        }
    }
}
