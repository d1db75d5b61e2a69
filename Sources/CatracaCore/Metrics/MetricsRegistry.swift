import Foundation

/// The daemon's metrics: counters, gauges and histograms by name, rendered in Prometheus' text format.
///
/// I/O-free and thread-safe: the event loop, the store's writer thread and any later owner update their
/// metrics from their own threads; each metric guards its values with its own lock, so updates are a lock
/// and an add. Register each metric once, at start, and keep the handle:
///
/// ```swift
/// // A later owner adds its metrics with one line each, e.g. the turnstile layer:
/// let passages = metrics.counter("catraca_passages_total", help: "Passages by outcome.", labels: ["outcome"])
/// passages.increment(labels: ["passed"])
/// // the outbox, as a gauge read at scrape time (the closure runs on the thread serving /metrics):
/// metrics.gauge("catraca_outbox_backlog", help: "Messages waiting for the upstream.") { [outbox] in
///     [([], Double(outbox.count))]
/// }
/// // plugins:
/// let calls = metrics.histogram("catraca_plugin_call_seconds", help: "Plugin call latency.",
///                               buckets: MetricsRegistry.latencyBuckets, labels: ["plugin"])
/// calls.observe(0.002, labels: ["lpr"])
/// ```
///
/// Registering a name twice is a programming error and stops the process, as does a label count that
/// differs from the metric's label names.
public final class MetricsRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var metrics: [any RenderableMetric] = []
    private var names: Set<String> = []

    public init() {}

    /// Latency buckets in seconds, from 0.5 ms to 10 s: commits, acknowledgements and plugin calls.
    public static let latencyBuckets: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    /// A counter: only goes up. `name` should end in `_total`.
    public func counter(_ name: String, help: String, labels: [String] = []) -> Counter {
        add(Counter(name: name, help: help, labelNames: labels))
    }

    /// A gauge the owner sets.
    public func gauge(_ name: String, help: String, labels: [String] = []) -> Gauge {
        add(Gauge(name: name, help: help, labelNames: labels, sample: nil))
    }

    /// A gauge read when the metrics are rendered: `sample` returns each series' label values and value.
    /// It runs on the thread rendering the metrics (the event loop for `GET /metrics`), so it must be
    /// quick and safe to call from there.
    @discardableResult
    public func gauge(_ name: String, help: String, labels: [String] = [],
                      sample: @escaping () -> [(labels: [String], value: Double)]) -> Gauge {
        add(Gauge(name: name, help: help, labelNames: labels, sample: sample))
    }

    /// A histogram with the given upper bounds (ascending; `+Inf` is added).
    public func histogram(_ name: String, help: String, buckets: [Double] = MetricsRegistry.latencyBuckets,
                          labels: [String] = []) -> Histogram {
        add(Histogram(name: name, help: help, labelNames: labels, bounds: buckets))
    }

    /// Every metric in the text exposition format 0.0.4, in the order registered.
    public func exposition() -> String {
        lock.lock()
        let all = metrics
        lock.unlock()
        var text = ""
        for metric in all {
            metric.render(into: &text)
        }
        return text
    }

    /// The `Content-Type` of `exposition()`.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private func add<Metric: RenderableMetric>(_ metric: Metric) -> Metric {
        precondition(MetricText.isValidName(metric.name), "metric name \(metric.name) is not [a-zA-Z_:][a-zA-Z0-9_:]*")
        for label in metric.labelNames {
            precondition(MetricText.isValidName(label) && !label.contains(":") && !label.hasPrefix("__"),
                         "label name \(label) of \(metric.name) is not [a-zA-Z_][a-zA-Z0-9_]*")
        }
        lock.lock()
        defer { lock.unlock() }
        precondition(names.insert(metric.name).inserted, "metric \(metric.name) registered twice")
        metrics.append(metric)
        return metric
    }
}

/// A metric that can write itself in the exposition format.
protocol RenderableMetric: AnyObject {
    var name: String { get }
    var labelNames: [String] { get }
    func render(into text: inout String)
}
