import CatracaCore
import CatracaMQTT
import CatracaStore
import Foundation

/// A batch of `count` record entries with ids from `firstID`, their payloads carrying the id as upstream
/// reads it.
func recordBatch(firstID: Int64, count: Int, kind: String = "record", payloadBytes: Int = 0) -> OutboxBatch {
    let entries = (0..<Int64(count)).map { offset -> OutboxEntry in
        let id = firstID + offset
        let padding = String(repeating: "x", count: payloadBytes)
        let payload = #"{"v":1,"id":\#(id),"pad":"\#(padding)"}"#
        return OutboxEntry(outboxID: id, kind: kind, sn: "TERM0001", payload: payload,
                           createdAt: "2024-05-01T08:00:00.000Z")
    }
    return OutboxBatch(transport: "mqtt", entries: entries)
}

/// Delivers `batch` and waits for its result (or `nil` after `timeout`).
func deliverAndWait(_ transport: UpstreamTransport, _ batch: OutboxBatch, timeout: TimeInterval = 20)
    -> DeliveryResult?
{
    let box = ResultBox()
    transport.deliver(batch) { box.set($0) }
    return box.wait(timeout: timeout)
}

/// Waits until the transport reports a connection, up to `timeout`.
func waitUntilConnected(_ transport: MQTTUpstream, timeout: TimeInterval = 10) -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while Date() < deadline {
        if transport.isConnected { return true }
        usleep(20_000)
    }
    return false
}

/// One delivery result, set once from any thread; counts how often it was set.
final class ResultBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: DeliveryResult?
    private(set) var calls = 0

    func set(_ value: DeliveryResult) {
        condition.lock()
        result = value
        calls += 1
        condition.broadcast()
        condition.unlock()
    }

    func wait(timeout: TimeInterval) -> DeliveryResult? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while result == nil { if !condition.wait(until: deadline) { break } }
        return result
    }
}

func testSettings(port: UInt16, site: String = "main") -> MQTTUpstreamSettings {
    MQTTUpstreamSettings(
        site: site, host: "127.0.0.1", port: port, clientId: "catraca-test-\(site)-\(port)",
        reconnectDelayMinSeconds: 0.1, reconnectDelayMaxSeconds: 0.5, publishTimeoutSeconds: 10)
}

func testLogger(_ sink: MemoryLogSink = MemoryLogSink()) -> Logger {
    Logger(label: "test", level: .debug, sink: sink)
}

/// Waits up to `timeout` for a log line containing `text` at `level`.
func waitForLog(_ sink: MemoryLogSink, _ text: String, level: LogLevel, timeout: TimeInterval = 5) -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while Date() < deadline {
        if !sink.entries(containing: text, level: level).isEmpty { return true }
        usleep(20_000)
    }
    return false
}
