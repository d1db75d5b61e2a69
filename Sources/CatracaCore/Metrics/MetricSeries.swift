/// One metric's values by label values, rendered in a stable order.
struct MetricSeries<Value> {
    private var values: [[String]: Value] = [:]

    subscript(labels: [String]) -> Value? {
        get { values[labels] }
        set { values[labels] = newValue }
    }

    subscript(labels: [String], default fallback: Value) -> Value {
        get { values[labels] ?? fallback }
        set { values[labels] = newValue }
    }

    /// Series sorted by label values, so that a scrape reads the same from one time to the next.
    var sorted: [(labels: [String], value: Value)] {
        values.map { (labels: $0.key, value: $0.value) }.sorted { $0.labels.lexicographicallyPrecedes($1.labels) }
    }
}
