/// What differs between the running configuration and a reloaded one, split into what the daemon applies
/// live on SIGHUP and what waits for a restart.
///
/// Live: the log level, the terminals' allow-list and acknowledgement message, command timeouts and limits,
/// registration actions, plugins. The rest (listen addresses, the database, WebSocket limits, the site, the API
/// token, the upstream, the turnstiles and their GPIO lines, the passage windows, the intercom) is held by open
/// sockets, the store's writer, GPIO line requests or sessions already running.
public struct ConfigurationChanges: Equatable, Sendable {
    /// Keys whose new value is applied now, e.g. `terminals.allowList`.
    public var live: [String] = []
    /// Keys whose new value is ignored until the daemon restarts, e.g. `store.path`.
    public var needRestart: [String] = []

    public var isEmpty: Bool { live.isEmpty && needRestart.isEmpty }

    public init(from old: Configuration, to new: Configuration) {
        note("log.level", old.log.level != new.log.level, live: true)
        note("terminals.allowList", old.terminals.allowList != new.terminals.allowList, live: true)
        note("terminals.ackMessage", old.terminals.ackMessage != new.terminals.ackMessage, live: true)
        let commandKeys: [(String, Bool)] = [
            ("commands.replyTimeoutSeconds", old.commands.replyTimeoutSeconds != new.commands.replyTimeoutSeconds),
            ("commands.unansweredWaitSeconds",
             old.commands.unansweredWaitSeconds != new.commands.unansweredWaitSeconds),
            ("commands.maxQueuedPerTerminal", old.commands.maxQueuedPerTerminal != new.commands.maxQueuedPerTerminal),
            ("commands.maxPages", old.commands.maxPages != new.commands.maxPages),
            ("commands.onRegistration", old.commands.onRegistration != new.commands.onRegistration),
        ]
        for (key, changed) in commandKeys { note(key, changed, live: true) }
        note("plugins", old.plugins != new.plugins, live: true)

        let restartKeys: [(String, Bool)] = [
            ("terminals.listen", old.terminals.listen != new.terminals.listen),
            ("api.listen", old.api.listen != new.api.listen),
            ("api.token", old.api.token != new.api.token || old.api.tokenFile != new.api.tokenFile),
            ("store.path", old.store.path != new.store.path),
            ("store.photoRetentionDays", old.store.photoRetentionDays != new.store.photoRetentionDays),
            ("websocket", old.webSocket != new.webSocket),
            ("site", old.site != new.site),
            ("upstream.mqtt", old.upstream.mqtt != new.upstream.mqtt),
            ("upstream", old.upstream.withoutMQTT != new.upstream.withoutMQTT),
            ("turnstiles", old.turnstiles != new.turnstiles),
            ("passages", old.passages != new.passages),
            ("intercom", old.intercom != new.intercom),
        ]
        for (key, changed) in restartKeys { note(key, changed, live: false) }
    }

    /// `old` with the live keys taken from `new`: what the daemon runs with after the reload.
    public static func applyingLive(_ new: Configuration, to old: Configuration) -> Configuration {
        var running = old
        running.log = new.log
        running.terminals.allowList = new.terminals.allowList
        running.terminals.ackMessage = new.terminals.ackMessage
        running.commands = new.commands
        running.plugins = new.plugins
        return running
    }

    private mutating func note(_ key: String, _ changed: Bool, live isLive: Bool) {
        guard changed else { return }
        if isLive { live.append(key) } else { needRestart.append(key) }
    }
}

extension Configuration.Upstream {
    /// The upstream's other keys, so that a change to the MQTT broker is reported under its own key.
    fileprivate var withoutMQTT: Configuration.Upstream {
        var rest = self
        rest.mqtt = nil
        return rest
    }
}
