import CatracaCore
import CatracaMQTT
import CatracaStore
import CatracaUpstream

/// Builds the outbox's way upstream from the `upstream` settings: one pump per configured transport (HTTP,
/// MQTT, or both).
enum UpstreamAssembly {
    static func make(_ configuration: Configuration, writer: StoreWriter, clock: TimeSource,
                     logger: Logger) throws -> Upstream {
        let settings = configuration.upstream
        var pumps: [OutboxPump] = []
        if let http = settings.http {
            let url = try HTTPUpstreamURL(parsing: http.url)
            let transport = HTTPUpstream(url: url, token: http.token, site: configuration.site.name,
                                         timeout: http.timeoutSeconds)
            pumps.append(OutboxPump(
                transport: transport, writer: writer, storePath: configuration.store.path,
                configuration: OutboxForwarderConfiguration(batchSize: http.batchSize), clock: clock,
                logger: logger))
        }
        if let mqtt = settings.mqtt {
            // A pump of its own: the MQTT delivery state in the store is separate from HTTP's, so either
            // transport can be behind, down or parked without holding the other back.
            let transport = try MQTTUpstream(settings: mqtt.broker, logger: logger)
            pumps.append(OutboxPump(
                transport: transport, writer: writer, storePath: configuration.store.path,
                configuration: OutboxForwarderConfiguration(batchSize: mqtt.batchSize), clock: clock,
                logger: logger))
        }
        let days = settings.keepDeliveredDays
        return Upstream(
            pumps: pumps, writer: writer, storePath: configuration.store.path,
            settings: Upstream.Settings(keepDelivered: days == 0 ? nil : .seconds(Double(days) * 86_400),
                                        backlogAlarmEntries: Int64(settings.backlogAlarmEntries)),
            clock: clock, logger: logger)
    }
}

/// The pump connects to the broker when the upstream starts, and the status shows whether the link is up.
extension MQTTUpstream: UpstreamConnection {}
