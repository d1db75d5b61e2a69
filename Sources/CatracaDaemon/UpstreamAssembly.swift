import CatracaCore
import CatracaStore
import CatracaUpstream

/// Builds the outbox's way upstream from the `upstream` settings: one pump per configured transport.
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
        // MQTT: the mqtt helper appends its pump here when `settings.mqtt` is set.
        let days = settings.keepDeliveredDays
        return Upstream(
            pumps: pumps, writer: writer, storePath: configuration.store.path,
            settings: Upstream.Settings(keepDelivered: days == 0 ? nil : .seconds(Double(days) * 86_400),
                                        backlogAlarmEntries: Int64(settings.backlogAlarmEntries)),
            clock: clock, logger: logger)
    }
}
