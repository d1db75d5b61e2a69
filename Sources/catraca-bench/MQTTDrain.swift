import CatracaCore
import CatracaMQTT
import CatracaStore
import Foundation

/// The MQTT drain benchmark: a backlog of small outbox entries published through `MQTTUpstream` to a
/// running broker, one batch at a time as the forwarder sends them, each batch waiting for every PUBACK.
struct MQTTDrain {
    var broker: HostAndPort
    var entries: Int
    var batchSize = 500

    struct Figure {
        var entries: Int
        var seconds: Double
        var entriesPerSecond: Double { Double(entries) / max(seconds, 1e-9) }
    }

    func run() throws -> Figure {
        var settings = MQTTUpstreamSettings(site: "bench", host: broker.host, port: broker.port)
        settings.clientId = "catraca-bench-\(getpid())"
        let logger = Logger(label: "bench", level: .warning, sink: StandardErrorLogSink())
        let transport = try MQTTUpstream(settings: settings, logger: logger)
        defer { transport.stop() }
        transport.start()
        try waitUntilConnected(transport)

        let start = Date()
        var nextID: Int64 = 1
        while nextID <= Int64(entries) {
            let count = min(batchSize, entries - Int(nextID) + 1)
            let batch = Self.batch(firstID: nextID, count: count)
            let result = deliver(batch, through: transport)
            guard result == .delivered else {
                throw BenchError(problem: "batch \(batch.key) was not delivered: \(String(describing: result))")
            }
            nextID += Int64(count)
        }
        return Figure(entries: entries, seconds: Date().timeIntervalSince(start))
    }

    private func waitUntilConnected(_ transport: MQTTUpstream) throws {
        for _ in 0..<500 where !transport.isConnected { usleep(20_000) }
        if !transport.isConnected {
            throw BenchError(problem: "no connection to the MQTT broker \(broker.host):\(broker.port) within 10 s: "
                + transport.lastConnectionError)
        }
    }

    private func deliver(_ batch: OutboxBatch, through transport: MQTTUpstream) -> DeliveryResult? {
        let done = DispatchSemaphore(value: 0)
        let result = ResultSlot()
        transport.deliver(batch) {
            result.value = $0
            done.signal()
        }
        done.wait()
        return result.value
    }

    /// Entries shaped like a record's outbox payload without a photo (about 200 bytes).
    private static func batch(firstID: Int64, count: Int) -> OutboxBatch {
        let entries = (0..<Int64(count)).map { offset -> OutboxEntry in
            let id = firstID + offset
            let payload = #"{"v":1,"id":\#(id),"kind":"record","sn":"BENCH00001","enrollid":\#(id % 5000),"#
                + #""name":"Person \#(id % 5000)","time":"2024-05-01 08:00:00","mode":1,"inout":0,"#
                + #""event":0,"temp":0,"verifymode":8}"#
            return OutboxEntry(outboxID: id, kind: "record", sn: "BENCH00001", payload: payload,
                               createdAt: "2024-05-01T08:00:00.000Z")
        }
        return OutboxBatch(transport: "mqtt", entries: entries)
    }
}

/// Carries a delivery result from the transport's thread to the waiting one (ordered by a semaphore).
private final class ResultSlot: @unchecked Sendable {
    var value: DeliveryResult?
}

struct BenchError: Error, CustomStringConvertible {
    var problem: String
    var description: String { problem }
}
