import CatracaCore
import Foundation

/// Walks a parsed config file section by section, with errors that name the key.
struct ConfigurationReader {
    let source: String

    func read(_ root: ConfigValue, into configuration: inout Configuration) throws {
        let sections = try object(root, at: "")
        try rejectUnknownKeys(sections, known: ["site", "terminals", "websocket", "store", "log", "api", "commands",
                                                         "upstream", "turnstiles", "passages", "intercom",
                                                         "plugins"],
                              at: "")
        if let turnstiles = sections["turnstiles"] { configuration.turnstiles = try readTurnstiles(turnstiles) }
        if let passages = sections["passages"] { try readPassages(passages, into: &configuration.passages) }
        if let site = sections["site"] { try readSite(site, into: &configuration.site) }
        if let terminals = sections["terminals"] { try readTerminals(terminals, into: &configuration.terminals) }
        if let webSocket = sections["websocket"] { try readWebSocket(webSocket, into: &configuration.webSocket) }
        if let store = sections["store"] { try readStore(store, into: &configuration.store) }
        if let log = sections["log"] { try readLog(log, into: &configuration.log) }
        if let api = sections["api"] { try readAPI(api, into: &configuration.api) }
        if let commands = sections["commands"] { try readCommands(commands, into: &configuration.commands) }
        if let upstream = sections["upstream"] {
            // The site is read above: the MQTT topics and client id are named after it.
            try readUpstream(upstream, site: configuration.site.name, into: &configuration.upstream)
        }
        if let intercom = sections["intercom"] { configuration.intercom = try readIntercom(intercom) }
        if let plugins = sections["plugins"] { try readPlugins(plugins, into: &configuration.plugins) }
    }

    private func readUpstream(_ value: ConfigValue, site: String, into upstream: inout Configuration.Upstream)
        throws
    {
        let keys = try object(value, at: "upstream")
        try rejectUnknownKeys(keys, known: ["http", "mqtt", "includePhotos", "keepDeliveredDays",
                                            "backlogAlarmEntries"],
                              at: "upstream")
        if let value = keys["http"] { upstream.http = try readHTTPUpstream(value) }
        if let value = keys["mqtt"] { upstream.mqtt = try readMQTTUpstream(value, site: site) }
        if let value = keys["includePhotos"] { upstream.includePhotos = try bool(value, at: "upstream.includePhotos") }
        if let value = keys["keepDeliveredDays"] {
            upstream.keepDeliveredDays = try integer(value, at: "upstream.keepDeliveredDays")
        }
        if let value = keys["backlogAlarmEntries"] {
            upstream.backlogAlarmEntries = try integer(value, at: "upstream.backlogAlarmEntries")
        }
    }

    private func readHTTPUpstream(_ value: ConfigValue) throws -> Configuration.HTTPUpstreamSettings? {
        if value == .null { return nil }
        let keys = try object(value, at: "upstream.http")
        try rejectUnknownKeys(keys, known: ["url", "token", "timeoutSeconds", "batchSize"], at: "upstream.http")
        guard let url = keys["url"] else { throw error(at: "upstream.http.url", "is required when http is given") }
        var settings = Configuration.HTTPUpstreamSettings(url: try string(url, at: "upstream.http.url"))
        if let token = keys["token"] { settings.token = try optionalString(token, at: "upstream.http.token") }
        if let value = keys["timeoutSeconds"] {
            settings.timeoutSeconds = try number(value, at: "upstream.http.timeoutSeconds")
        }
        if let value = keys["batchSize"] { settings.batchSize = try integer(value, at: "upstream.http.batchSize") }
        return settings
    }

    private func readAPI(_ value: ConfigValue, into api: inout Configuration.API) throws {
        let keys = try object(value, at: "api")
        try rejectUnknownKeys(keys, known: ["listen", "token", "tokenFile"], at: "api")
        if let listen = keys["listen"] { api.listen = try string(listen, at: "api.listen") }
        if let token = keys["token"] { api.token = try optionalString(token, at: "api.token") }
        if let file = keys["tokenFile"] { api.tokenFile = try optionalString(file, at: "api.tokenFile") }
    }

    private func readCommands(_ value: ConfigValue, into commands: inout Configuration.Commands) throws {
        let keys = try object(value, at: "commands")
        try rejectUnknownKeys(keys, known: [
            "replyTimeoutSeconds", "unansweredWaitSeconds", "maxQueuedPerTerminal", "maxPages", "onRegistration",
        ], at: "commands")
        if let value = keys["replyTimeoutSeconds"] {
            commands.replyTimeoutSeconds = try number(value, at: "commands.replyTimeoutSeconds")
        }
        if let value = keys["unansweredWaitSeconds"] {
            commands.unansweredWaitSeconds = try number(value, at: "commands.unansweredWaitSeconds")
        }
        if let value = keys["maxQueuedPerTerminal"] {
            commands.maxQueuedPerTerminal = try integer(value, at: "commands.maxQueuedPerTerminal")
        }
        if let value = keys["maxPages"] { commands.maxPages = try integer(value, at: "commands.maxPages") }
        if let value = keys["onRegistration"] { try readOnRegistration(value, into: &commands.onRegistration) }
    }

    private func readOnRegistration(_ value: ConfigValue, into onRegistration: inout Configuration.OnRegistration)
        throws
    {
        let keys = try object(value, at: "commands.onRegistration")
        try rejectUnknownKeys(keys, known: ["setTime", "pullNewLogs"], at: "commands.onRegistration")
        if let value = keys["setTime"] {
            onRegistration.setTime = try bool(value, at: "commands.onRegistration.setTime")
        }
        if let value = keys["pullNewLogs"] {
            onRegistration.pullNewLogs = try bool(value, at: "commands.onRegistration.pullNewLogs")
        }
    }

    private func readSite(_ value: ConfigValue, into site: inout Configuration.Site) throws {
        let keys = try object(value, at: "site")
        try rejectUnknownKeys(keys, known: ["name", "timeZone"], at: "site")
        if let name = keys["name"] { site.name = try string(name, at: "site.name") }
        if let zone = keys["timeZone"] { site.timeZone = try optionalString(zone, at: "site.timeZone") }
    }

    private func readTerminals(_ value: ConfigValue, into terminals: inout Configuration.Terminals) throws {
        let keys = try object(value, at: "terminals")
        try rejectUnknownKeys(keys, known: ["listen", "allowList", "ackMessage"], at: "terminals")
        if let listen = keys["listen"] { terminals.listen = try string(listen, at: "terminals.listen") }
        if let message = keys["ackMessage"] { terminals.ackMessage = try string(message, at: "terminals.ackMessage") }
        if let allowList = keys["allowList"] { terminals.allowList = try readAllowList(allowList) }
    }

    private func readAllowList(_ value: ConfigValue) throws -> [String: Configuration.AllowedTerminal]? {
        if value == .null { return nil }
        var entries: [String: Configuration.AllowedTerminal] = [:]
        for (sn, entry) in try object(value, at: "terminals.allowList") {
            let path = "terminals.allowList.\(sn)"
            let keys = try object(entry, at: path)
            try rejectUnknownKeys(keys, known: ["address"], at: path)
            let address = try keys["address"].flatMap { try optionalString($0, at: path + ".address") }
            entries[sn] = Configuration.AllowedTerminal(address: address)
        }
        return entries
    }

    private func readWebSocket(_ value: ConfigValue, into webSocket: inout Configuration.WebSocket) throws {
        let keys = try object(value, at: "websocket")
        try rejectUnknownKeys(keys, known: [
            "maxMessageBytes", "handshakeTimeoutSeconds", "pingIntervalSeconds", "deadPeerTimeoutSeconds",
            "messageTimeoutSeconds", "bufferBudgetBytes",
        ], at: "websocket")
        if let value = keys["maxMessageBytes"] {
            webSocket.maxMessageBytes = try integer(value, at: "websocket.maxMessageBytes")
        }
        if let value = keys["bufferBudgetBytes"] {
            webSocket.bufferBudgetBytes = try integer(value, at: "websocket.bufferBudgetBytes")
        }
        if let value = keys["handshakeTimeoutSeconds"] {
            webSocket.handshakeTimeoutSeconds = try number(value, at: "websocket.handshakeTimeoutSeconds")
        }
        if let value = keys["pingIntervalSeconds"] {
            webSocket.pingIntervalSeconds = try number(value, at: "websocket.pingIntervalSeconds")
        }
        if let value = keys["deadPeerTimeoutSeconds"] {
            webSocket.deadPeerTimeoutSeconds = try number(value, at: "websocket.deadPeerTimeoutSeconds")
        }
        if let value = keys["messageTimeoutSeconds"] {
            webSocket.messageTimeoutSeconds = try number(value, at: "websocket.messageTimeoutSeconds")
        }
    }

    private func readStore(_ value: ConfigValue, into store: inout Configuration.Store) throws {
        let keys = try object(value, at: "store")
        try rejectUnknownKeys(keys, known: ["path", "photoRetentionDays"], at: "store")
        if let path = keys["path"], let chosen = try optionalString(path, at: "store.path") { store.path = chosen }
        if let days = keys["photoRetentionDays"] {
            store.photoRetentionDays = try integer(days, at: "store.photoRetentionDays")
        }
    }

    private func readLog(_ value: ConfigValue, into log: inout Configuration.Log) throws {
        let keys = try object(value, at: "log")
        try rejectUnknownKeys(keys, known: ["level"], at: "log")
        if let level = keys["level"] {
            let name = try string(level, at: "log.level")
            guard let parsed = LogLevel(name: name) else {
                let known = LogLevel.allCases.map(\.description).joined(separator: ", ")
                throw error(at: "log.level", "unknown level \"\(name)\"; use one of \(known)")
            }
            log.level = parsed
        }
    }

    // MARK: Typed access

    func object(_ value: ConfigValue, at key: String) throws -> [String: ConfigValue] {
        guard case .object(let keys) = value else {
            throw error(at: key, "expected an object, found \(value.typeName)")
        }
        return keys
    }

    func string(_ value: ConfigValue, at key: String) throws -> String {
        guard case .string(let text) = value else { throw error(at: key, "expected a string, found \(value.typeName)") }
        return text
    }

    func optionalString(_ value: ConfigValue, at key: String) throws -> String? {
        if value == .null { return nil }
        let text = try string(value, at: key)
        return text.isEmpty ? nil : text
    }

    func bool(_ value: ConfigValue, at key: String) throws -> Bool {
        guard case .bool(let flag) = value else {
            throw error(at: key, "expected true or false, found \(value.typeName)")
        }
        return flag
    }

    func number(_ value: ConfigValue, at key: String) throws -> Double {
        guard case .number(let number) = value else {
            throw error(at: key, "expected a number, found \(value.typeName)")
        }
        return number
    }

    func integer(_ value: ConfigValue, at key: String) throws -> Int {
        let number = try number(value, at: key)
        guard number.rounded() == number, abs(number) < 1e15 else {
            throw error(at: key, "expected a whole number, found \(number)")
        }
        return Int(number)
    }

    func rejectUnknownKeys(_ keys: [String: ConfigValue], known: Set<String>, at path: String) throws {
        for key in keys.keys.sorted() where !known.contains(key) {
            let full = path.isEmpty ? key : "\(path).\(key)"
            throw error(at: full, "unknown key; known keys here are \(known.sorted().joined(separator: ", "))")
        }
    }

    func error(at key: String, _ problem: String) -> ConfigurationError {
        ConfigurationError(source: source, key: key, problem: problem)
    }
}
