import Foundation

/// How Catraca reaches the site's MQTT broker; the daemon builds it from `upstream.mqtt` in its config.
///
/// The transport speaks MQTT 5 with QoS 1 and a persistent session: it connects with clean start off
/// and a session expiry, under a client id that stays the same across restarts, so the broker keeps the
/// session (and the messages in flight) while the link is down.
public struct MQTTUpstreamSettings: Sendable, Equatable {
    /// The site's name: the topics' second level and part of the default client id. No `/`, `+` or `#`.
    public var site: String
    /// The broker's host name or address.
    public var host: String
    /// The broker's port: 1883 is MQTT's plain port, 8883 its port for TLS.
    public var port: UInt16
    /// The MQTT client id; `nil` uses `catraca-<site>`. Two boxes must never share one: the broker drops
    /// the older connection when a second client connects under the same id.
    public var clientId: String?
    /// The topics' first level: entries go to `<topicPrefix>/<site>/<kind>s`, e.g. `catraca/main/records`.
    public var topicPrefix: String
    /// The user name for the broker's password authentication; `nil` connects without one.
    public var username: String?
    /// The password sent with `username`; ignored without a user name.
    public var password: String?
    /// TLS to the broker; `nil` connects in plain TCP.
    public var tls: MQTTTLSSettings?
    /// Seconds between keepalive pings while the link is idle; a broker silent for 1.5 times this long
    /// is taken as gone. 5 to 65535.
    public var keepaliveSeconds: Int
    /// How long the broker keeps this client's session after the link drops, in seconds.
    public var sessionExpirySeconds: UInt32
    /// The first wait before connecting again after a failure; it doubles after each failed attempt.
    public var reconnectDelayMinSeconds: Double
    /// The longest wait between two connection attempts.
    public var reconnectDelayMaxSeconds: Double
    /// A batch whose PUBACKs have not all arrived this long after it was published is handed back to be
    /// retried, even if the connection still looks alive.
    public var publishTimeoutSeconds: Double

    /// Every message is published with QoS 1 (at least once); the setting is not configurable.
    public var qos: Int32 { 1 }

    /// The client id the broker sees: `clientId`, or `catraca-<site>` without one.
    public var effectiveClientId: String { clientId ?? "catraca-\(site)" }

    public init(
        site: String,
        host: String,
        port: UInt16 = 1883,
        clientId: String? = nil,
        topicPrefix: String = "catraca",
        username: String? = nil,
        password: String? = nil,
        tls: MQTTTLSSettings? = nil,
        keepaliveSeconds: Int = 60,
        sessionExpirySeconds: UInt32 = 604_800,
        reconnectDelayMinSeconds: Double = 1,
        reconnectDelayMaxSeconds: Double = 60,
        publishTimeoutSeconds: Double = 60
    ) {
        self.site = site
        self.host = host
        self.port = port
        self.clientId = clientId
        self.topicPrefix = topicPrefix
        self.username = username
        self.password = password
        self.tls = tls
        self.keepaliveSeconds = keepaliveSeconds
        self.sessionExpirySeconds = sessionExpirySeconds
        self.reconnectDelayMinSeconds = reconnectDelayMinSeconds
        self.reconnectDelayMaxSeconds = reconnectDelayMaxSeconds
        self.publishTimeoutSeconds = publishTimeoutSeconds
    }

    /// Checks every value once, before a connection is tried, so a typo stops the daemon at start.
    public func validate() throws {
        try MQTTTopic.checkLevel(site, setting: "site")
        try MQTTTopic.checkPrefix(topicPrefix)
        if host.isEmpty { throw MQTTSettingsError(setting: "host", problem: "is empty; name the broker's host") }
        if port == 0 { throw MQTTSettingsError(setting: "port", problem: "is 0; use the broker's port, e.g. 1883") }
        if effectiveClientId.isEmpty || effectiveClientId.utf8.count > 65535 {
            throw MQTTSettingsError(setting: "clientId", problem: "must be 1 to 65535 bytes long")
        }
        if !(5...65535).contains(keepaliveSeconds) {
            throw MQTTSettingsError(setting: "keepaliveSeconds", problem: "is \(keepaliveSeconds); use 5 to 65535")
        }
        if password != nil && username == nil {
            throw MQTTSettingsError(setting: "password", problem: "is set without a username; set both")
        }
        try checkDurations()
        try tls?.validate()
    }

    private func checkDurations() throws {
        if !(reconnectDelayMinSeconds > 0) {
            throw MQTTSettingsError(setting: "reconnectDelayMinSeconds", problem: "must be more than 0")
        }
        if !(reconnectDelayMaxSeconds >= reconnectDelayMinSeconds) {
            throw MQTTSettingsError(
                setting: "reconnectDelayMaxSeconds", problem: "must be at least reconnectDelayMinSeconds")
        }
        if !(publishTimeoutSeconds > 0) {
            throw MQTTSettingsError(setting: "publishTimeoutSeconds", problem: "must be more than 0")
        }
    }
}

extension MQTTUpstreamSettings: CustomStringConvertible {
    /// The settings as a log line can show them: the password is never written out.
    public var description: String {
        let credentials = username.map { " username=\($0) password=\(password == nil ? "none" : "(set)")" } ?? ""
        let transport = tls.map { " tls(caFile=\($0.caFile) insecure=\($0.insecure))" } ?? " plain"
        return "mqtt://\(host):\(port) clientId=\(effectiveClientId) topics=\(topicPrefix)/\(site)/<kind>s"
            + credentials + transport
    }
}

/// TLS to the broker: the CA that signed the broker's certificate, and optionally this box's own
/// certificate and key for brokers that authenticate clients by certificate.
public struct MQTTTLSSettings: Sendable, Equatable {
    /// PEM file of the certificate authority (or chain) that the broker's certificate must chain to.
    public var caFile: String
    /// PEM file of this client's certificate; needs `keyFile`.
    public var certFile: String?
    /// PEM file of this client's private key (unencrypted); needs `certFile`.
    public var keyFile: String?
    /// Skips the check that the broker's certificate names `host`. The chain is still verified. Only for
    /// a broker reached by an address its certificate does not list; it allows a man in the middle.
    public var insecure: Bool

    public init(caFile: String, certFile: String? = nil, keyFile: String? = nil, insecure: Bool = false) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.insecure = insecure
    }

    /// Checks that the files are there and readable, so a wrong path is reported at start.
    public func validate() throws {
        try Self.checkReadable(caFile, setting: "tls.caFile")
        if (certFile == nil) != (keyFile == nil) {
            throw MQTTSettingsError(
                setting: "tls.certFile", problem: "and tls.keyFile go together; set both or neither")
        }
        if let certFile { try Self.checkReadable(certFile, setting: "tls.certFile") }
        if let keyFile { try Self.checkReadable(keyFile, setting: "tls.keyFile") }
    }

    private static func checkReadable(_ path: String, setting: String) throws {
        if !FileManager.default.isReadableFile(atPath: path) {
            throw MQTTSettingsError(setting: setting, problem: "\(path) cannot be read; check the path and permissions")
        }
    }
}

/// A setting of `MQTTUpstreamSettings` that cannot work, and why.
public struct MQTTSettingsError: Error, Equatable, CustomStringConvertible {
    /// The setting's name under `upstream.mqtt`, e.g. `tls.caFile`.
    public var setting: String
    public var problem: String

    public init(setting: String, problem: String) {
        self.setting = setting
        self.problem = problem
    }

    public var description: String { "upstream.mqtt.\(setting) \(problem)" }
}
