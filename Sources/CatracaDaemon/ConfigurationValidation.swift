import CatracaPlugins
import CatracaCore
import CatracaMQTT
import CatracaServer
import CatracaUpstream
import Foundation

extension Configuration {
    /// Checks the values that the syntax alone cannot, naming the first key that is wrong.
    ///
    /// - Parameter source: where the values came from, for the error text.
    public func validate(source: String) throws {
        func fail(_ key: String, _ problem: String) -> ConfigurationError {
            ConfigurationError(source: source, key: key, problem: problem)
        }
        guard SocketAddress(parsing: terminals.listen) != nil else {
            throw fail("terminals.listen",
                       "\"\(terminals.listen)\" is not HOST:PORT with a numeric IP (e.g. 0.0.0.0:7792)")
        }
        if let zone = site.timeZone, TimeZone(identifier: zone) == nil {
            throw fail("site.timeZone", "unknown time zone \"\(zone)\"; use an IANA name such as America/Sao_Paulo")
        }
        for (sn, entry) in terminals.allowList ?? [:] {
            if let address = entry.address, SocketAddress(parsing: "\(address):1") == nil
                && SocketAddress(parsing: "[\(address)]:1") == nil {
                throw fail("terminals.allowList.\(sn).address", "\"\(address)\" is not an IP address")
            }
        }
        try validateIntercom(fail)
        try validatePlugins(fail)
        guard webSocket.maxMessageBytes >= 1024 else {
            throw fail("websocket.maxMessageBytes", "must be at least 1024, is \(webSocket.maxMessageBytes)")
        }
        guard webSocket.bufferBudgetBytes >= webSocket.maxMessageBytes else {
            throw fail("websocket.bufferBudgetBytes",
                       "must be at least websocket.maxMessageBytes (\(webSocket.maxMessageBytes)) so one message fits")
        }
        let timeouts: [(String, Double)] = [
            ("websocket.handshakeTimeoutSeconds", webSocket.handshakeTimeoutSeconds),
            ("websocket.pingIntervalSeconds", webSocket.pingIntervalSeconds),
            ("websocket.deadPeerTimeoutSeconds", webSocket.deadPeerTimeoutSeconds),
            ("websocket.messageTimeoutSeconds", webSocket.messageTimeoutSeconds),
        ]
        for (key, value) in timeouts where !(value > 0) || !(value <= Configuration.longestTimeoutSeconds) {
            throw fail(key, "must be above 0 and at most \(Int(Configuration.longestTimeoutSeconds)) seconds (a day), "
                       + "is \(value)")
        }
        guard webSocket.deadPeerTimeoutSeconds > webSocket.pingIntervalSeconds else {
            throw fail("websocket.deadPeerTimeoutSeconds",
                       "must be longer than websocket.pingIntervalSeconds, or live idle terminals are dropped")
        }
        guard (0...36_500).contains(store.photoRetentionDays) else {
            throw fail("store.photoRetentionDays",
                       "must be 0 (keep forever) up to 36500 (100 years), is \(store.photoRetentionDays)")
        }
        guard !store.path.isEmpty else { throw fail("store.path", "must name a file") }
        try validateAPI(fail)
        try validateCommands(fail)
        try validateUpstream(fail)
        try validateTurnstiles(fail)
        if let path = webSocketEchoPath, !path.hasPrefix("/") {
            throw fail("--websocket-echo", "the path must start with /, is \"\(path)\"")
        }
    }

    private func validatePlugins(_ fail: (String, String) -> ConfigurationError) throws {
        guard PluginFallback(rawValue: plugins.fallback) != nil else {
            throw fail("plugins.fallback", "\"\(plugins.fallback)\" is neither deny nor allow")
        }
        guard plugins.deadlineMilliseconds >= 1, plugins.deadlineMilliseconds <= 60_000 else {
            throw fail("plugins.deadlineMilliseconds",
                       "must be between 1 and 60000, is \(plugins.deadlineMilliseconds)")
        }
        for (key, value) in [("plugins.recordMemorySeconds", plugins.recordMemorySeconds),
                             ("plugins.qrcodeResendSeconds", plugins.qrcodeResendSeconds)] where !(value >= 0) {
            throw fail(key, "must be 0 or more seconds, is \(value)")
        }
    }

    private func validateAPI(_ fail: (String, String) -> ConfigurationError) throws {
        guard SocketAddress(parsing: api.listen) != nil else {
            throw fail("api.listen", "\"\(api.listen)\" is not HOST:PORT with a numeric IP (e.g. 127.0.0.1:7793)")
        }
        if let token = api.token, token.utf8.count < 16 || token.contains(where: { $0.isWhitespace }) {
            throw fail("api.token", "must be at least 16 characters without spaces; or leave it out and the "
                       + "daemon creates a random one in api.tokenFile")
        }
    }

    private func validateCommands(_ fail: (String, String) -> ConfigurationError) throws {
        let waits: [(String, Double)] = [
            ("commands.replyTimeoutSeconds", commands.replyTimeoutSeconds),
            ("commands.unansweredWaitSeconds", commands.unansweredWaitSeconds),
        ]
        for (key, value) in waits where !(value > 0) || !(value <= Configuration.longestTimeoutSeconds) {
            throw fail(key, "must be above 0 and at most \(Int(Configuration.longestTimeoutSeconds)) seconds (a day), "
                       + "is \(value)")
        }
        guard (1...10_000).contains(commands.maxQueuedPerTerminal) else {
            throw fail("commands.maxQueuedPerTerminal", "must be 1 to 10000, is \(commands.maxQueuedPerTerminal)")
        }
        guard (1...10_000_000).contains(commands.maxPages) else {
            throw fail("commands.maxPages", "must be 1 to 10000000, is \(commands.maxPages)")
        }
    }

    private func validateUpstream(_ fail: (String, String) -> ConfigurationError) throws {
        guard (0...36_500).contains(upstream.keepDeliveredDays) else {
            throw fail("upstream.keepDeliveredDays",
                       "must be 0 (keep forever) up to 36500, is \(upstream.keepDeliveredDays)")
        }
        guard upstream.backlogAlarmEntries >= 0 else {
            throw fail("upstream.backlogAlarmEntries",
                       "must be 0 (no alarm) or more, is \(upstream.backlogAlarmEntries)")
        }
        if let mqtt = upstream.mqtt { try validateMQTTUpstream(mqtt, fail) }
        guard let http = upstream.http else { return }
        do {
            _ = try HTTPUpstreamURL(parsing: http.url)
        } catch {
            throw fail("upstream.http.url", "\"\(http.url)\" \(error.description)")
        }
        guard http.timeoutSeconds > 0 && http.timeoutSeconds <= 600 else {
            throw fail("upstream.http.timeoutSeconds", "must be above 0 and at most 600, is \(http.timeoutSeconds)")
        }
        guard (1...10_000).contains(http.batchSize) else {
            throw fail("upstream.http.batchSize", "must be 1 to 10000, is \(http.batchSize)")
        }
        if let token = http.token, token.contains(where: { $0.isNewline || $0 == " " }) {
            throw fail("upstream.http.token", "must not hold spaces or line breaks")
        }
    }

    private func validateMQTTUpstream(_ mqtt: MQTTUpstreamConfiguration,
                                      _ fail: (String, String) -> ConfigurationError) throws {
        guard (1...10_000).contains(mqtt.batchSize) else {
            throw fail("upstream.mqtt.batchSize", "must be 1 to 10000, is \(mqtt.batchSize)")
        }
        do {
            try mqtt.broker.validate()
        } catch let error as MQTTSettingsError where error.setting == "site" {
            // The topics' site level is the site's name, so that is the key to change.
            throw fail("site.name", "\"\(mqtt.broker.site)\" names the MQTT topics' site level and \(error.problem)")
        } catch let error as MQTTSettingsError {
            throw fail("upstream.mqtt.\(error.setting)", error.problem)
        }
    }

    /// No timeout is meant to be longer than a day; larger values are typing mistakes.
    static let longestTimeoutSeconds = 86_400.0

    /// The site's clock for `cloudtime`.
    public var siteTime: SiteTime {
        site.timeZone.flatMap(SiteTime.init(identifier:)) ?? SiteTime()
    }
}
