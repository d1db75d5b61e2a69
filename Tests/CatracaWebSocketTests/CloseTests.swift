import CatracaCore
import Testing
@testable import CatracaWebSocket

@Suite struct CloseTests {
    private func closeFrom(peer payload: [UInt8]) -> (events: [WebSocketEvent], written: [WrittenFrame]) {
        var connection = openServer()
        let events = connection.receive(frame(0x8, payload), now: .zero)
        #expect(connection.isTerminated)
        return (events, writtenFrames(connection.takeOutput()))
    }

    static let validCodes: [UInt16] = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999]
    static let invalidCodes: [UInt16] = [0, 999, 1004, 1005, 1006, 1012, 1013, 1014, 1015, 1016, 1100, 2000, 2999,
                                         5000, 65535]

    @Test(arguments: validCodes)
    func validCloseCodeIsEchoed(code: UInt16) {
        let (events, written) = closeFrom(peer: closePayload(code, "bye"))
        #expect(events == [.closed(code: code, reason: "bye")])
        #expect(written.map(\.closeCode) == [code])
    }

    @Test(arguments: invalidCodes)
    func invalidCloseCodeIsAProtocolError(code: UInt16) {
        let (events, written) = closeFrom(peer: closePayload(code))
        #expect(events == [.closed(code: 1002, reason: "invalid close code \(code)")])
        #expect(written.map(\.closeCode) == [1002])
    }

    @Test func emptyCloseIsAnsweredWithNormalClosure() {
        let (events, written) = closeFrom(peer: [])
        #expect(events == [.closed(code: 1005, reason: "")])
        #expect(written.map(\.closeCode) == [1000])
        #expect(written.first?.payload.count == 2)
    }

    @Test func closeWithAOneBytePayloadIsAProtocolError() {
        let (events, written) = closeFrom(peer: [0x03])
        #expect(events == [.closed(code: 1002, reason: "close frame with a 1-byte payload")])
        #expect(written.map(\.closeCode) == [1002])
    }

    @Test func closeReasonThatIsNotUTF8IsInvalidPayload() {
        let (events, written) = closeFrom(peer: closePayload(1000) + [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xF4, 0x90, 0x80])
        #expect(events == [.closed(code: 1007, reason: "close reason is not valid UTF-8")])
        #expect(written.map(\.closeCode) == [1007])
    }

    @Test func nothingAfterTheCloseIsRead() {
        var connection = openServer()
        let events = connection.receive(frame(0x8, closePayload(1000)) + frame(0x9, [1]) + frame(0x1, text("late")),
                                        now: .zero)
        #expect(events == [.closed(code: 1000, reason: "")])
        #expect(writtenFrames(connection.takeOutput()).map(\.opcode) == [0x8])
        #expect(connection.receive(frame(0x1, text("later")), now: .zero).isEmpty)
    }

    @Test func serverCloseWaitsForThePeersCloseAndDropsDataMeanwhile() {
        var connection = openServer()
        connection.close(code: 1001, reason: "daemon stopping", now: .zero)
        let sent = writtenFrames(connection.takeOutput())
        #expect(sent.map(\.closeCode) == [1001])
        #expect(sent.first?.payload == closePayload(1001, "daemon stopping"))
        #expect(!connection.isTerminated)

        let meanwhile = connection.receive(frame(0x1, text("in flight")) + frame(0x2, [1], fin: false), now: .zero)
        #expect(meanwhile.isEmpty)
        connection.sendText(text("not sent after close"))
        #expect(!connection.hasPendingOutput)

        let events = connection.receive(frame(0x8, closePayload(1001)), now: .zero)
        #expect(events == [.closed(code: 1001, reason: "")])
        #expect(!connection.hasPendingOutput)
        #expect(connection.isTerminated)
    }

    @Test func messageInProgressWhenWeCloseIsDroppedAndItsBufferReleased() {
        var connection = openServer()
        let second = frame(0x0, Array(repeating: 0x62, count: 40))
        _ = connection.receive(frame(0x1, text("part"), fin: false) + second.prefix(20), now: .zero)
        connection.close(code: 1000, reason: "", now: .zero)
        #expect(connection.bufferedBytes == 0)

        #expect(connection.receive(Array(second.dropFirst(20)), now: .zero).isEmpty)
        #expect(connection.receive(frame(0x8, closePayload(1000)), now: .zero) == [.closed(code: 1000, reason: "")])
    }

    @Test func closeReasonIsCutAtACharacterBoundary() {
        var connection = openServer()
        connection.close(code: 1000, reason: String(repeating: "é", count: 100), now: .zero)
        let payload = writtenFrames(connection.takeOutput()).first?.payload ?? []
        #expect(payload.count == 124)
        #expect(String(validating: payload[2...], as: UTF8.self) == String(repeating: "é", count: 61))
    }
}
