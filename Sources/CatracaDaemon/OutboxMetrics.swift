import CatracaCore
import CatracaUpstream

/// The outbox's metrics on the daemon's registry: the backlog, its oldest entry's age and the parked batches,
/// sampled at scrape time from the upstream's last housekeeping measurement (every few seconds), and the
/// entries each transport delivered, counted as deliveries are observed.
///
/// The gauges have no series until the first measurement, and none at all without an upstream transport:
/// an absent series says "not measured", where a 0 would claim an empty outbox.
final class OutboxMetrics {
    private let delivered: Counter

    init(registry: MetricsRegistry, upstream: Upstream, clock: TimeSource) {
        registry.gauge("catraca_outbox_backlog_entries",
                       help: "Outbox entries not yet delivered by every transport, parked ones included.") {
            upstream.lastMeasurement.map { [(labels: [], value: Double($0.backlog.entries))] } ?? []
        }
        registry.gauge("catraca_outbox_oldest_undelivered_seconds",
                       help: "Age of the oldest outbox entry not yet delivered everywhere (parked included); "
                           + "0 when none waits.") {
            upstream.lastMeasurement.map {
                [(labels: [], value: Double($0.oldestAgeSeconds(now: clock.wallClock) ?? 0))]
            } ?? []
        }
        registry.gauge("catraca_outbox_parked_batches",
                       help: "Batches an upstream refused for good, waiting for an operator (requeued included).") {
            upstream.lastMeasurement.map { [(labels: [], value: Double($0.parkedBatches))] } ?? []
        }
        delivered = registry.counter("catraca_outbox_delivered_entries_total",
                                     help: "Outbox entries each transport delivered since the daemon started.",
                                     labels: ["transport"])
        for transport in upstream.transportNames { delivered.increment(by: 0, labels: [transport]) }
    }

    /// Counts what the upstream reports; called on the upstream's own queues.
    func count(_ observation: UpstreamObservation) {
        guard case .delivered(let transport, let entries) = observation else { return }
        delivered.increment(by: Double(entries), labels: [transport])
    }
}
