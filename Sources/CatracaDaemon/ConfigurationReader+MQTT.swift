import CatracaMQTT

/// `upstream.mqtt`: the broker, the session, TLS and credentials (etc/catraca.json5, docs/upstream/mqtt.md).
extension ConfigurationReader {
    static let mqttKeys: Set<String> = [
        "host", "port", "clientId", "topicPrefix", "username", "password", "tls", "keepaliveSeconds",
        "sessionExpirySeconds", "reconnectDelayMinSeconds", "reconnectDelayMaxSeconds", "publishTimeoutSeconds",
        "batchSize",
    ]

    /// The MQTT upstream for `site` (its topics' second level and default client id); nil for `mqtt: null`.
    func readMQTTUpstream(_ value: ConfigValue, site: String) throws -> Configuration.MQTTUpstreamConfiguration? {
        if value == .null { return nil }
        let keys = try object(value, at: "upstream.mqtt")
        try rejectUnknownKeys(keys, known: Self.mqttKeys, at: "upstream.mqtt")
        guard let host = keys["host"] else {
            throw error(at: "upstream.mqtt.host", "is required when mqtt is given; name the broker's host")
        }

        var broker = MQTTUpstreamSettings(site: site, host: try string(host, at: "upstream.mqtt.host"))
        try readConnection(keys, into: &broker)
        try readTimings(keys, into: &broker)
        if let value = keys["tls"] { broker.tls = try readMQTTTLS(value) }

        var mqtt = Configuration.MQTTUpstreamConfiguration(broker: broker)
        if let value = keys["batchSize"] { mqtt.batchSize = try integer(value, at: "upstream.mqtt.batchSize") }
        return mqtt
    }

    private func readConnection(_ keys: [String: ConfigValue], into broker: inout MQTTUpstreamSettings) throws {
        if let value = keys["port"] {
            broker.port = UInt16(try integer(value, at: "upstream.mqtt.port", in: 1...65_535))
        }
        if let value = keys["clientId"] { broker.clientId = try optionalString(value, at: "upstream.mqtt.clientId") }
        if let value = keys["topicPrefix"] { broker.topicPrefix = try string(value, at: "upstream.mqtt.topicPrefix") }
        if let value = keys["username"] { broker.username = try optionalString(value, at: "upstream.mqtt.username") }
        if let value = keys["password"] { broker.password = try optionalString(value, at: "upstream.mqtt.password") }
    }

    private func readTimings(_ keys: [String: ConfigValue], into broker: inout MQTTUpstreamSettings) throws {
        if let value = keys["keepaliveSeconds"] {
            broker.keepaliveSeconds = try integer(value, at: "upstream.mqtt.keepaliveSeconds")
        }
        if let value = keys["sessionExpirySeconds"] {
            let seconds = try integer(value, at: "upstream.mqtt.sessionExpirySeconds", in: 0...Int(UInt32.max))
            broker.sessionExpirySeconds = UInt32(seconds)
        }
        if let value = keys["reconnectDelayMinSeconds"] {
            broker.reconnectDelayMinSeconds = try number(value, at: "upstream.mqtt.reconnectDelayMinSeconds")
        }
        if let value = keys["reconnectDelayMaxSeconds"] {
            broker.reconnectDelayMaxSeconds = try number(value, at: "upstream.mqtt.reconnectDelayMaxSeconds")
        }
        if let value = keys["publishTimeoutSeconds"] {
            broker.publishTimeoutSeconds = try number(value, at: "upstream.mqtt.publishTimeoutSeconds")
        }
    }

    private func readMQTTTLS(_ value: ConfigValue) throws -> MQTTTLSSettings? {
        if value == .null { return nil }
        let keys = try object(value, at: "upstream.mqtt.tls")
        try rejectUnknownKeys(keys, known: ["caFile", "certFile", "keyFile", "insecure"], at: "upstream.mqtt.tls")
        guard let caFile = keys["caFile"] else {
            throw error(at: "upstream.mqtt.tls.caFile", "is required when tls is given; name the broker's CA (PEM)")
        }

        var tls = MQTTTLSSettings(caFile: try string(caFile, at: "upstream.mqtt.tls.caFile"))
        if let value = keys["certFile"] { tls.certFile = try optionalString(value, at: "upstream.mqtt.tls.certFile") }
        if let value = keys["keyFile"] { tls.keyFile = try optionalString(value, at: "upstream.mqtt.tls.keyFile") }
        if let value = keys["insecure"] { tls.insecure = try bool(value, at: "upstream.mqtt.tls.insecure") }
        return tls
    }

    /// A whole number within `range`: the key's type is narrower than `Int`, so a value outside is refused here.
    private func integer(_ value: ConfigValue, at key: String, in range: ClosedRange<Int>) throws -> Int {
        let number = try integer(value, at: key)
        guard range.contains(number) else {
            throw error(at: key, "must be \(range.lowerBound) to \(range.upperBound), is \(number)")
        }
        return number
    }
}
