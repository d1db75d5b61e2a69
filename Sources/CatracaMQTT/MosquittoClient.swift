import CMosquitto

/// libmosquitto's process-wide set-up; it must run once before the first client, and is not thread-safe
/// itself, which a Swift global's one-time initialisation takes care of.
private let mosquittoLibrary: Int32 = mosquitto_lib_init()

/// What a `MosquittoClient` reports, on the thread that runs `loop` (libmosquitto's callbacks).
protocol MosquittoClientEvents: AnyObject {
    /// A CONNACK arrived; `reasonCode` 0 means accepted.
    func clientConnected(reasonCode: Int32, sessionPresent: Bool)
    /// The connection closed; `code` is 0 after our own DISCONNECT.
    func clientDisconnected(code: Int32)
    /// A PUBACK arrived for message `mid`.
    func clientAcknowledged(mid: Int32, reasonCode: Int32)
}

/// One libmosquitto client handle speaking MQTT 5, configured from `MQTTUpstreamSettings`.
///
/// Thin on purpose: every call maps to one libmosquitto function and returns its failure as a
/// `MosquittoError`. `loop`, `connect` and `reconnect` must all run on the one thread the owner
/// dedicates to the network; `publish` may be called from any thread (libmosquitto locks its queues,
/// and wakes the network thread through its internal socket pair).
final class MosquittoClient {
    private let handle: OpaquePointer
    weak var events: MosquittoClientEvents?

    init(settings: MQTTUpstreamSettings) throws {
        _ = mosquittoLibrary

        // Clean start off: the broker keeps the session under this client id across connections.
        guard let handle = mosquitto_new(settings.effectiveClientId, false, nil) else {
            throw MosquittoError(call: "mosquitto_new", code: Int32(MOSQ_ERR_NOMEM.rawValue))
        }
        self.handle = handle
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())

        try configure(settings)
        installCallbacks()
    }

    deinit { mosquitto_destroy(handle) }

    private func configure(_ settings: MQTTUpstreamSettings) throws {
        try check("mosquitto_int_option(PROTOCOL_VERSION)") {
            mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, Int32(MQTT_PROTOCOL_V5))
        }
        // Each PUBACK releases the next message of a batch (the broker allows only so many in flight):
        // Nagle's algorithm would hold those small writes back for the peer's delayed ACK.
        try check("mosquitto_int_option(TCP_NODELAY)") { mosquitto_int_option(handle, MOSQ_OPT_TCP_NODELAY, 1) }
        // Our own thread drives the network, not mosquitto_loop_start: publish then only queues and
        // wakes that thread (mosquitto.h, mosquitto_threaded_set).
        try check("mosquitto_threaded_set") { mosquitto_threaded_set(handle, true) }
        if let username = settings.username {
            try check("mosquitto_username_pw_set") { mosquitto_username_pw_set(handle, username, settings.password) }
        }
        if let tls = settings.tls { try configureTLS(tls) }
    }

    private func configureTLS(_ tls: MQTTTLSSettings) throws {
        try check("mosquitto_tls_set") {
            mosquitto_tls_set(handle, tls.caFile, nil, tls.certFile, tls.keyFile, nil)
        }
        if tls.insecure {
            try check("mosquitto_tls_insecure_set") { mosquitto_tls_insecure_set(handle, true) }
        }
    }

    private func installCallbacks() {
        mosquitto_connect_v5_callback_set(handle) { _, userData, reasonCode, flags, _ in
            // Bit 0 of the CONNACK flags is "session present".
            MosquittoClient.from(userData)?.events?.clientConnected(
                reasonCode: reasonCode, sessionPresent: flags & 1 == 1)
        }
        mosquitto_disconnect_v5_callback_set(handle) { _, userData, code, _ in
            MosquittoClient.from(userData)?.events?.clientDisconnected(code: code)
        }
        mosquitto_publish_v5_callback_set(handle) { _, userData, mid, reasonCode, _ in
            MosquittoClient.from(userData)?.events?.clientAcknowledged(mid: mid, reasonCode: reasonCode)
        }
    }

    private static func from(_ userData: UnsafeMutableRawPointer?) -> MosquittoClient? {
        userData.map { Unmanaged<MosquittoClient>.fromOpaque($0).takeUnretainedValue() }
    }

    /// The first connection: blocking, and it records the CONNECT properties (the session expiry) that
    /// every later `reconnect` sends again.
    func connect(host: String, port: UInt16, keepaliveSeconds: Int, sessionExpirySeconds: UInt32) throws {
        var properties: OpaquePointer?
        defer { mosquitto_property_free_all(&properties) }
        try check("mosquitto_property_add_int32(SESSION_EXPIRY_INTERVAL)") {
            mosquitto_property_add_int32(&properties, Int32(MQTT_PROP_SESSION_EXPIRY_INTERVAL.rawValue),
                                         sessionExpirySeconds)
        }
        try check("mosquitto_connect_bind_v5(\(host):\(port))") {
            mosquitto_connect_bind_v5(handle, host, Int32(port), Int32(keepaliveSeconds), nil, properties)
        }
    }

    /// A later connection attempt, not blocking; its outcome arrives through `loop` as events.
    func reconnect() throws {
        try check("mosquitto_reconnect_async") { mosquitto_reconnect_async(handle) }
    }

    /// Whether a socket is open (connecting or connected).
    var hasSocket: Bool { mosquitto_socket(handle) >= 0 }

    /// Reads, writes and keeps the connection alive for up to `timeoutMilliseconds`.
    func loop(timeoutMilliseconds: Int32) throws {
        try check("mosquitto_loop") { mosquitto_loop(handle, timeoutMilliseconds, 1) }
    }

    /// Queues one QoS 1 message; returns its message id, which its PUBACK will carry.
    func publish(topic: String, payload: String, properties: MessageProperties) throws -> Int32 {
        var list: OpaquePointer?
        defer { mosquitto_property_free_all(&list) }
        try properties.build(into: &list)

        var mid: Int32 = 0
        let utf8 = Array(payload.utf8)
        try check("mosquitto_publish_v5") {
            mosquitto_publish_v5(handle, &mid, topic, Int32(clamping: utf8.count), utf8, 1, false, list)
        }
        return mid
    }

    /// Sends DISCONNECT (normal disconnection, the session kept); `loop` then closes the socket.
    func disconnect() {
        _ = mosquitto_disconnect_v5(handle, Int32(MQTT_RC_NORMAL_DISCONNECTION.rawValue), nil)
    }

    private func check(_ call: @autoclosure () -> String, _ body: () -> Int32) throws {
        let code = body()
        if code != Int32(MOSQ_ERR_SUCCESS.rawValue) { throw MosquittoError(call: call(), code: code) }
    }
}

/// The MQTT 5 properties of one outbox message: the entry's id and kind as user properties, so the
/// central system can drop a duplicate without parsing the payload, and the payload marked as JSON.
struct MessageProperties {
    var entryID: Int64
    var kind: String
    var batchKey: String

    func build(into list: inout OpaquePointer?) throws {
        let userProperty = Int32(MQTT_PROP_USER_PROPERTY.rawValue)
        let pairs = [("entry-id", String(entryID)), ("kind", kind), ("batch", batchKey)]
        for (name, value) in pairs {
            let code = mosquitto_property_add_string_pair(&list, userProperty, name, value)
            if code != 0 { throw MosquittoError(call: "mosquitto_property_add_string_pair(\(name))", code: code) }
        }
        let code = mosquitto_property_add_string(&list, Int32(MQTT_PROP_CONTENT_TYPE.rawValue), "application/json")
        if code != 0 { throw MosquittoError(call: "mosquitto_property_add_string(CONTENT_TYPE)", code: code) }
    }
}
