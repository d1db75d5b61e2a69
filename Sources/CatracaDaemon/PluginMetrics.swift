import CatracaCore

/// The plugins' figures at `GET /metrics`.
struct PluginMetrics {
    /// Seconds from sending a hook call to its answer, by plugin and hook.
    let latency: Histogram
    /// Calls that gave no decision, by plugin and reason (`deadline`, `hook_failed`, `host_died`, `not_running`).
    let failures: Counter
    /// Hosts started again after dying, by plugin.
    let restarts: Counter

    init(registry: MetricsRegistry) {
        latency = registry.histogram("catraca_plugin_call_seconds",
                                     help: "Plugin hook calls from sending to answer, by plugin and hook.",
                                     labels: ["plugin", "hook"])
        failures = registry.counter("catraca_plugin_call_failures_total",
                                    help: "Plugin hook calls that gave no decision, by plugin and reason.",
                                    labels: ["plugin", "reason"])
        restarts = registry.counter("catraca_plugin_restarts_total",
                                    help: "Plugin hosts started again after dying, by plugin.", labels: ["plugin"])
    }
}
