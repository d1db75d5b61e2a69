import CatracaCore
import CatracaStore
import Foundation
import Testing

@testable import CatracaMQTT

/// The transport against a real mosquitto broker on 127.0.0.1, started by each test on a free port.
@Suite(.enabled(if: MosquittoBroker.isInstalled, MosquittoBroker.skipMessage), .serialized)
struct MQTTUpstreamBrokerTests {
    @Test func everyEntryOfEveryBatchArrivesOnceOnItsKindsTopicWithItsId() throws {
        let broker = try MosquittoBroker()
        defer { broker.remove() }
        try broker.start()
        let subscriber = try TestSubscriber(clientId: "central", port: broker.port)
        defer { subscriber.close() }
        #expect(subscriber.waitUntilSubscribed())
        let transport = try MQTTUpstream(settings: testSettings(port: broker.port), logger: testLogger())
        defer { transport.stop() }
        transport.start()
        #expect(waitUntilConnected(transport))

        let batches = [recordBatch(firstID: 1, count: 300), recordBatch(firstID: 301, count: 300),
                       recordBatch(firstID: 601, count: 50, kind: "passage")]
        for batch in batches {
            #expect(deliverAndWait(transport, batch) == .delivered)
        }

        let messages = subscriber.waitForMessages(650)
        #expect(messages.count == 650)
        #expect(Set(messages.compactMap(\.entryID)) == Set(1...650))
        #expect(messages.filter { $0.topic == "catraca/main/records" }.count == 600)
        #expect(messages.filter { $0.topic == "catraca/main/passages" }.count == 50)
        let first = try #require(messages.first { $0.entryID == 1 })
        #expect(first.payload.contains(#""id":1,"#))
    }

    @Test func anEmptyBatchIsDeliveredAtOnce() throws {
        let broker = try MosquittoBroker()
        defer { broker.remove() }
        try broker.start()
        let transport = try MQTTUpstream(settings: testSettings(port: broker.port), logger: testLogger())
        defer { transport.stop() }
        transport.start()
        #expect(waitUntilConnected(transport))

        #expect(deliverAndWait(transport, OutboxBatch(transport: "mqtt", entries: [])) == .delivered)
    }

    @Test func withTheBrokerDownABatchComesBackAsRetryAndIsDeliveredOnceTheBrokerIsBack() throws {
        let broker = try MosquittoBroker()
        defer { broker.remove() }
        let sink = MemoryLogSink()
        let transport = try MQTTUpstream(settings: testSettings(port: broker.port), logger: testLogger(sink))
        defer { transport.stop() }
        transport.start()

        let whileDown = deliverAndWait(transport, recordBatch(firstID: 1, count: 10))
        guard case .retry(_, let reason)? = whileDown else {
            Issue.record("expected .retry with the broker down, got \(String(describing: whileDown))")
            return
        }
        #expect(reason.contains("not connected to the MQTT broker 127.0.0.1:\(broker.port)"))
        #expect(waitForLog(sink, "cannot connect to the MQTT broker", level: .warning))

        try broker.start()
        let subscriber = try TestSubscriber(clientId: "central", port: broker.port)
        defer { subscriber.close() }
        #expect(subscriber.waitUntilSubscribed())
        #expect(waitUntilConnected(transport), "the transport reconnects on its own within its back-off")

        #expect(deliverAndWait(transport, recordBatch(firstID: 1, count: 10)) == .delivered)
        #expect(Set(subscriber.waitForMessages(10).compactMap(\.entryID)) == Set(1...10))
    }

    @Test func afterTheBrokerRestartsTheTransportReconnectsAndDeliversAgain() throws {
        let broker = try MosquittoBroker()
        defer { broker.remove() }
        try broker.start()
        let sink = MemoryLogSink()
        let transport = try MQTTUpstream(settings: testSettings(port: broker.port), logger: testLogger(sink))
        defer { transport.stop() }
        transport.start()
        #expect(waitUntilConnected(transport))
        #expect(deliverAndWait(transport, recordBatch(firstID: 1, count: 20)) == .delivered)

        broker.stop()
        let deadline = Date(timeIntervalSinceNow: 5)
        while transport.isConnected && Date() < deadline { usleep(20_000) }
        #expect(!transport.isConnected, "the transport notices the broker is gone")
        #expect(waitForLog(sink, "lost the connection to the MQTT broker", level: .warning))
        if case .retry? = deliverAndWait(transport, recordBatch(firstID: 21, count: 20)) {} else {
            Issue.record("a batch handed over while the broker is down must come back as .retry")
        }

        try broker.start()
        #expect(waitUntilConnected(transport))
        #expect(deliverAndWait(transport, recordBatch(firstID: 21, count: 20)) == .delivered)
        let connected = sink.entries(containing: "connected to the MQTT broker", level: .info)
        #expect(connected.last?.metadata["session_present"] == "true",
                "clean start off and persistence: the broker kept this client's session across its restart")
    }

    @Test func messagesForAnOfflineSubscriberWithAPersistentSessionArriveWhenItReconnects() throws {
        let broker = try MosquittoBroker()
        defer { broker.remove() }
        try broker.start()
        let away = try TestSubscriber(clientId: "central-offline", port: broker.port)
        #expect(away.waitUntilSubscribed())
        away.close()
        let transport = try MQTTUpstream(settings: testSettings(port: broker.port), logger: testLogger())
        defer { transport.stop() }
        transport.start()
        #expect(waitUntilConnected(transport))

        #expect(deliverAndWait(transport, recordBatch(firstID: 1, count: 100)) == .delivered)
        broker.stop()
        try broker.start()

        let back = try TestSubscriber(clientId: "central-offline", port: broker.port)
        defer { back.close() }
        #expect(Set(back.waitForMessages(100).compactMap(\.entryID)) == Set(1...100),
                "the broker queued them in the subscriber's session and persisted them across its restart")
    }

    @Test func aBatchTheBrokerIsNotAuthorisedToTakeIsParkedWithTheEntryAndTheReason() throws {
        let aclFile = NSTemporaryDirectory() + "catraca-mqtt-acl-\(getpid())"
        try "topic write catraca/main/records\n".write(toFile: aclFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: aclFile) }
        let broker = try MosquittoBroker(extraConfiguration: ["acl_file \(aclFile)"])
        defer { broker.remove() }
        try broker.start()
        let transport = try MQTTUpstream(settings: testSettings(port: broker.port), logger: testLogger())
        defer { transport.stop() }
        transport.start()
        #expect(waitUntilConnected(transport))

        #expect(deliverAndWait(transport, recordBatch(firstID: 1, count: 5)) == .delivered)
        let refused = deliverAndWait(transport, recordBatch(firstID: 6, count: 5, kind: "alarm"))
        guard case .park(let reason)? = refused else {
            Issue.record("expected .park for a topic the ACL forbids, got \(String(describing: refused))")
            return
        }
        #expect(reason.contains("catraca/main/alarms"))
        #expect(reason.contains("0x87"))
    }

    @Test func anEntryLargerThanTheBrokerAcceptsParksItsBatch() throws {
        let broker = try MosquittoBroker(extraConfiguration: ["max_packet_size 2000"])
        defer { broker.remove() }
        try broker.start()
        let transport = try MQTTUpstream(settings: testSettings(port: broker.port), logger: testLogger())
        defer { transport.stop() }
        transport.start()
        #expect(waitUntilConnected(transport))

        let result = deliverAndWait(transport, recordBatch(firstID: 1, count: 3, payloadBytes: 5000))
        guard case .park(let reason)? = result else {
            Issue.record("expected .park for an oversized entry, got \(String(describing: result))")
            return
        }
        #expect(reason.contains("entry 1"))
        #expect(reason.contains("larger than the broker accepts"))
    }

    @Test func aBrokerRefusingTheCredentialsLeavesBatchesToRetryWithTheRefusalAsReason() throws {
        let passwords = NSTemporaryDirectory() + "catraca-mqtt-passwords-\(getpid())"
        try runTool("/usr/bin/mosquitto_passwd", ["-b", "-c", passwords, "cabinet", "right-password"])
        defer { try? FileManager.default.removeItem(atPath: passwords) }
        let broker = try MosquittoBroker(extraConfiguration: ["password_file \(passwords)"], allowAnonymous: false)
        defer { broker.remove() }
        try broker.start()

        var settings = testSettings(port: broker.port)
        settings.username = "cabinet"
        settings.password = "wrong-password"
        let refused = try MQTTUpstream(settings: settings, logger: testLogger())
        defer { refused.stop() }
        refused.start()
        usleep(500_000)
        guard case .retry(_, let reason)? = deliverAndWait(refused, recordBatch(firstID: 1, count: 1)) else {
            Issue.record("a refused connection leaves batches to retry")
            return
        }
        #expect(reason.contains("refused the connection"), "\(reason)")

        settings.password = "right-password"
        settings.clientId = "catraca-test-right-password"
        let accepted = try MQTTUpstream(settings: settings, logger: testLogger())
        defer { accepted.stop() }
        accepted.start()
        #expect(waitUntilConnected(accepted))
        #expect(deliverAndWait(accepted, recordBatch(firstID: 1, count: 1)) == .delivered)
    }

    @Test func stoppingDisconnectsAndLaterBatchesComeBackAsRetry() throws {
        let broker = try MosquittoBroker()
        defer { broker.remove() }
        try broker.start()
        let transport = try MQTTUpstream(settings: testSettings(port: broker.port), logger: testLogger())
        transport.start()
        #expect(waitUntilConnected(transport))

        transport.stop()
        let clientId = transport.settings.effectiveClientId
        // The broker logs the DISCONNECT when it has handled it, a moment after the client sent it.
        let deadline = Date().addingTimeInterval(5)
        while !broker.log.contains("Client \(clientId) disconnected."), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(broker.log.contains("Client \(clientId) disconnected."), "a DISCONNECT, not a dropped socket")
        if case .retry? = deliverAndWait(transport, recordBatch(firstID: 1, count: 1)) {} else {
            Issue.record("a stopped transport hands batches back as .retry")
        }
    }
}

func runTool(_ path: String, _ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    if process.terminationStatus != 0 {
        throw BrokerError(problem: "\(path) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
    }
}
