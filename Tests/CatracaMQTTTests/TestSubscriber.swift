import CMosquitto
import Foundation

/// A second libmosquitto client that plays the central system: it subscribes with QoS 1 under a fixed
/// client id and a persistent session, and collects what arrives.
final class TestSubscriber: @unchecked Sendable {
    struct Message {
        var topic: String
        var payload: String
        var entryID: Int64?
    }

    private let handle: OpaquePointer
    private let condition = NSCondition()
    private var received: [Message] = []
    private var subscribed = false

    init(clientId: String, port: UInt16, topic: String = "catraca/#") throws {
        mosquitto_lib_init()
        self.topic = topic
        handle = mosquitto_new(clientId, false, nil)!
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, Int32(MQTT_PROTOCOL_V5))
        mosquitto_message_v5_callback_set(handle) { _, userData, message, properties in
            TestSubscriber.from(userData).collect(message!.pointee, properties)
        }
        mosquitto_subscribe_v5_callback_set(handle) { _, userData, _, _, _, _ in
            TestSubscriber.from(userData).markSubscribed()
        }
        mosquitto_connect_v5_callback_set(handle) { mosq, userData, _, _, _ in
            mosquitto_subscribe_v5(mosq, nil, TestSubscriber.from(userData).topic, 1, 0, nil)
        }

        var properties: OpaquePointer?
        mosquitto_property_add_int32(&properties, Int32(MQTT_PROP_SESSION_EXPIRY_INTERVAL.rawValue), 3600)
        defer { mosquitto_property_free_all(&properties) }
        let code = mosquitto_connect_bind_v5(handle, "127.0.0.1", Int32(port), 60, nil, properties)
        if code != 0 { throw BrokerError(problem: "the test subscriber could not connect: code \(code)") }
        mosquitto_loop_start(handle)
    }

    private let topic: String

    private static func from(_ userData: UnsafeMutableRawPointer?) -> TestSubscriber {
        Unmanaged<TestSubscriber>.fromOpaque(userData!).takeUnretainedValue()
    }

    private func collect(_ message: mosquitto_message, _ properties: OpaquePointer?) {
        let payload = message.payload.map {
            String(decoding: UnsafeRawBufferPointer(start: $0, count: Int(message.payloadlen)), as: UTF8.self)
        } ?? ""
        let collected = Message(topic: String(cString: message.topic), payload: payload,
                                entryID: Self.userProperty("entry-id", in: properties).flatMap { Int64($0) })
        condition.lock()
        received.append(collected)
        condition.broadcast()
        condition.unlock()
    }

    private static func userProperty(_ name: String, in properties: OpaquePointer?) -> String? {
        var key: UnsafeMutablePointer<CChar>?
        var value: UnsafeMutablePointer<CChar>?
        let found = mosquitto_property_read_string_pair(
            properties, Int32(MQTT_PROP_USER_PROPERTY.rawValue), &key, &value, false)
        var current = found
        var result: String?
        while current != nil {
            if let key, String(cString: key) == name, let value { result = String(cString: value) }
            free(key)
            free(value)
            if result != nil { break }
            current = mosquitto_property_read_string_pair(
                current, Int32(MQTT_PROP_USER_PROPERTY.rawValue), &key, &value, true)
        }
        return result
    }

    private func markSubscribed() {
        condition.lock()
        subscribed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the subscription is confirmed (SUBACK).
    func waitUntilSubscribed(timeout: TimeInterval = 5) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while !subscribed { if !condition.wait(until: deadline) { return subscribed } }
        return true
    }

    /// Waits until at least `count` messages arrived; returns everything received so far.
    func waitForMessages(_ count: Int, timeout: TimeInterval = 20) -> [Message] {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while received.count < count { if !condition.wait(until: deadline) { break } }
        return received
    }

    /// Disconnects and ends the client's thread; the broker keeps its session.
    func close() {
        mosquitto_disconnect_v5(handle, 0, nil)
        mosquitto_loop_stop(handle, false)
        mosquitto_destroy(handle)
    }
}
