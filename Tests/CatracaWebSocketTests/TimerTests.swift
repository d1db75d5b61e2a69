import CatracaCore
import Testing
@testable import CatracaWebSocket

@Suite struct TimerTests {
    let clock = ManualTimeSource()

    @Test func pingIsSentAfterThePingIntervalWithoutReceiving() {
        var connection = openServer(now: clock.now)
        #expect(connection.nextDeadline == Instant.at(seconds: 30))

        clock.advance(by: .seconds(29))
        #expect(connection.tick(now: clock.now).isEmpty)
        #expect(!connection.hasPendingOutput)

        clock.advance(by: .seconds(1))
        #expect(connection.tick(now: clock.now).isEmpty)
        #expect(writtenFrames(connection.takeOutput()).map(\.opcode) == [0x9])
        #expect(connection.nextDeadline == Instant.at(seconds: 60))
    }

    @Test func receivingResetsThePingAndDeadPeerTimers() {
        var connection = openServer(now: clock.now)
        clock.advance(by: .seconds(25))
        _ = connection.receive(frame(0xA, []), now: clock.now)
        #expect(connection.nextDeadline == Instant.at(seconds: 55))

        clock.advance(by: .seconds(29))
        _ = connection.tick(now: clock.now)
        #expect(!connection.hasPendingOutput)
    }

    @Test func silentPeerIsDeclaredDeadAfterTheTimeout() {
        var connection = openServer(now: clock.now)
        var events: [WebSocketEvent] = []
        while let deadline = connection.nextDeadline, events.isEmpty {
            events = connection.tick(now: deadline)
        }
        #expect(events == [.closed(code: 1006, reason: "peer stopped responding")])
        #expect(connection.isTerminated)
        #expect(writtenFrames(connection.takeOutput()).map(\.opcode) == [0x9, 0x9])
        #expect(connection.nextDeadline == nil)
    }

    @Test func incompleteUpgradeRequestTimesOutWith408() {
        var connection = WebSocketConnection(role: .server, configuration: WebSocketConfiguration(), now: clock.now)
        _ = connection.receive(Array(upgradeRequest().prefix(30)), now: clock.now)
        #expect(connection.nextDeadline == Instant.at(seconds: 10))

        clock.advance(by: .seconds(9))
        _ = connection.receive(Array(upgradeRequest()[30..<40]), now: clock.now)
        #expect(connection.tick(now: clock.now).isEmpty)

        clock.advance(by: .seconds(1))
        #expect(connection.tick(now: clock.now) == [.rejected(status: 408,
                                                              reason: "upgrade request not complete within 10s")])
        #expect(String(decoding: connection.takeOutput(), as: UTF8.self).hasPrefix("HTTP/1.1 408 Request Timeout"))
    }

    @Test func messageNotCompletedInTimeClosesWithPolicyViolation() {
        var configuration = WebSocketConfiguration()
        configuration.messageTimeout = .seconds(20)
        var connection = openServer(configuration: configuration, now: clock.now)
        _ = connection.receive(frame(0x1, text("begun"), fin: false), now: clock.now)
        #expect(connection.nextDeadline == Instant.at(seconds: 20))

        clock.advance(by: .seconds(15))
        _ = connection.receive(frame(0x0, text(" and"), fin: false), now: clock.now)
        clock.advance(by: .seconds(5))
        #expect(connection.tick(now: clock.now) == [.closed(code: 1008, reason: "message not completed within 20s")])
        #expect(writtenFrames(connection.takeOutput()).map(\.closeCode) == [1008])
    }

    @Test func peerThatNeverAnswersOurCloseIsDroppedAfterTheCloseTimeout() {
        var connection = openServer(now: clock.now)
        clock.advance(by: .seconds(3))
        connection.close(code: 1000, reason: "", now: clock.now)
        #expect(connection.nextDeadline == Instant.at(seconds: 8))

        clock.advance(by: .seconds(4))
        #expect(connection.tick(now: clock.now).isEmpty)
        clock.advance(by: .seconds(1))
        #expect(connection.tick(now: clock.now) == [.closed(code: 1006,
                                                            reason: "peer did not answer our close within 5s")])
        #expect(connection.isTerminated)
    }

    @Test func clientGivesUpWhenTheServerNeverAnswersTheUpgrade() {
        var client = WebSocketConnection(role: .client, configuration: WebSocketConfiguration(), now: clock.now)
        #expect(client.nextDeadline == nil)
        client.startClientHandshake(host: "127.0.0.1:7790", path: "/", now: clock.now)
        clock.advance(by: .seconds(10))
        #expect(client.tick(now: clock.now) == [.closed(code: 1006,
                                                        reason: "server did not answer the upgrade within 10s")])
    }
}
