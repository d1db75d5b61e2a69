import CatracaCore
import Testing
@testable import CatracaWebSocket

@Suite struct FrameRuleTests {
    /// Feeds `bytes` to an open server and returns its events and the frames it wrote.
    private func serverReceives(_ bytes: [UInt8], configuration: WebSocketConfiguration = WebSocketConfiguration())
        -> (events: [WebSocketEvent], written: [WrittenFrame], connection: WebSocketConnection)
    {
        var connection = openServer(configuration: configuration)
        let events = connection.receive(bytes, now: .zero)
        return (events, writtenFrames(connection.takeOutput()), connection)
    }

    /// Expects the server to have failed the connection with `code`, sending it in a close frame.
    private func expectFailure(_ bytes: [UInt8], code: UInt16, reason: String,
                               configuration: WebSocketConfiguration = WebSocketConfiguration(),
                               sourceLocation: SourceLocation = #_sourceLocation) {
        let (events, written, connection) = serverReceives(bytes, configuration: configuration)
        #expect(events.last == .closed(code: code, reason: reason), sourceLocation: sourceLocation)
        #expect(written.last?.closeCode == code, sourceLocation: sourceLocation)
        #expect(connection.isTerminated, sourceLocation: sourceLocation)
    }

    @Test func maskedTextAndBinaryMessagesAreDelivered() {
        let (events, written, _) = serverReceives(frame(0x1, text("olá")) + frame(0x2, [0, 1, 255]))
        #expect(events == [.text(text("olá")), .binary([0, 1, 255])])
        #expect(written.isEmpty)
    }

    @Test func unmaskedClientFrameIsAProtocolError() {
        expectFailure(frame(0x1, text("hi"), mask: nil), code: 1002, reason: "client frame not masked")
    }

    @Test func maskedServerFrameIsAProtocolErrorForAClient() {
        var client = WebSocketConnection(role: .client, configuration: WebSocketConfiguration(), now: .zero)
        var server = WebSocketConnection(role: .server, configuration: WebSocketConfiguration(), now: .zero)
        client.startClientHandshake(host: "cabinet.local", path: "/evo", now: .zero)
        _ = server.receive(client.takeOutput(), now: .zero)
        _ = client.receive(server.takeOutput(), now: .zero)

        let events = client.receive(frame(0x1, text("hi")), now: .zero)
        #expect(events == [.closed(code: 1002, reason: "server frame masked")])
        let written = writtenFrames(client.takeOutput())
        #expect(written.map(\.masked) == [true])
        #expect(written.first?.closeCode == 1002)
    }

    @Test(arguments: [1, 2, 4, 7] as [UInt8])
    func reservedBitsAreAProtocolError(bits: UInt8) {
        expectFailure(frame(0x1, text("x"), reservedBits: bits), code: 1002,
                      reason: "reserved bits set without a negotiated extension")
    }

    @Test(arguments: [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF] as [UInt8])
    func reservedOpcodesAreAProtocolError(opcode: UInt8) {
        expectFailure(frame(opcode, []), code: 1002, reason: "reserved opcode \(opcode)")
    }

    @Test func fragmentedControlFrameIsAProtocolError() {
        expectFailure(frame(0x9, text("x"), fin: false), code: 1002, reason: "fragmented control frame")
    }

    @Test func controlPayloadOver125BytesIsAProtocolError() {
        expectFailure(frame(0x9, Array(repeating: 7, count: 126)), code: 1002,
                      reason: "control frame payload over 125 bytes")
        let (events, written, _) = serverReceives(frame(0x9, Array(repeating: 7, count: 125)))
        #expect(events.isEmpty)
        let pong = WrittenFrame(fin: true, opcode: 0xA, masked: false, payload: Array(repeating: 7, count: 125))
        #expect(written == [pong])
    }

    @Test func continuationWithoutAMessageIsAProtocolError() {
        expectFailure(frame(0x0, text("x")), code: 1002, reason: "continuation frame without a message")
    }

    @Test func newMessageBeforeThePreviousEndedIsAProtocolError() {
        expectFailure(frame(0x1, text("a"), fin: false) + frame(0x2, [1]), code: 1002,
                      reason: "new message before the previous one ended")
    }

    @Test func lengthWithTheHighBitSetIsAProtocolError() {
        let header: [UInt8] = [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4]
        expectFailure(header, code: 1002, reason: "64-bit payload length with the high bit set")
    }

    @Test func nonMinimalLengthEncodingsAreAccepted() {
        let (events, _, _) = serverReceives(frame(0x1, text("ab"), lengthEncoding: 2)
            + frame(0x1, text("cd"), lengthEncoding: 8))
        #expect(events == [.text(text("ab")), .text(text("cd"))])
    }

    @Test func fragmentsWithInterleavedPingAreAssembledAndThePingAnswered() {
        let input = frame(0x1, text("hel"), fin: false) + frame(0x9, text("are you there"))
            + frame(0x0, [], fin: false) + frame(0xA, text("stray pong")) + frame(0x0, text("lo"))
        let (events, written, _) = serverReceives(input)
        #expect(events == [.text(text("hello"))])
        #expect(written == [WrittenFrame(fin: true, opcode: 0xA, masked: false, payload: text("are you there"))])
    }

    @Test func pongIsQueuedBeforeTheMessageCompletes() {
        var connection = openServer()
        _ = connection.receive(frame(0x2, [1, 2], fin: false) + frame(0x9, [9]), now: .zero)
        #expect(writtenFrames(connection.takeOutput()) == [WrittenFrame(fin: true, opcode: 0xA, masked: false,
                                                                         payload: [9])])
        #expect(connection.receive(frame(0x0, [3]), now: .zero) == [.binary([1, 2, 3])])
    }

    @Test func unsolicitedPongIsIgnored() {
        let (events, written, connection) = serverReceives(frame(0xA, text("unasked")))
        #expect(events.isEmpty)
        #expect(written.isEmpty)
        #expect(!connection.isTerminated)
    }

    @Test func utf8SplitAcrossFragmentsIsAccepted() {
        let euro: [UInt8] = [0xE2, 0x82, 0xAC]
        let input = frame(0x1, text("a") + euro.prefix(1), fin: false) + frame(0x0, Array(euro[1..<2]), fin: false)
            + frame(0x0, Array(euro[2...]) + text("b"))
        #expect(serverReceives(input).events == [.text(text("a€b"))])
    }

    @Test func invalidUTF8InTheFirstFragmentFailsWithoutWaitingForTheRest() {
        expectFailure(frame(0x1, text("ok") + [0xC0, 0xAF], fin: false), code: 1007,
                      reason: "text message is not valid UTF-8")
    }

    @Test func invalidUTF8InsideAFrameFailsBeforeTheFrameEnds() {
        let whole = frame(0x1, text("fine") + [0xED, 0xA0, 0x80] + Array(repeating: 0x61, count: 100))
        expectFailure(Array(whole.prefix(20)), code: 1007, reason: "text message is not valid UTF-8")
    }

    @Test func textEndingInsideASequenceIsInvalid() {
        expectFailure(frame(0x1, text("a") + [0xF0, 0x9F], fin: false) + frame(0x0, [0x98]), code: 1007,
                      reason: "text message ends inside a UTF-8 sequence")
    }

    @Test(arguments: [[0xC0, 0x80], [0xED, 0xB0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]]
          as [[UInt8]])
    func overlongsSurrogatesAndCodePointsAboveTheMaximumAreInvalid(bytes: [UInt8]) {
        expectFailure(frame(0x1, bytes), code: 1007, reason: "text message is not valid UTF-8")
    }

    @Test func binaryMessagesAreNotValidatedAsText() {
        #expect(serverReceives(frame(0x2, [0xC0, 0xAF])).events == [.binary([0xC0, 0xAF])])
    }

    @Test func messageOfExactlyTheLimitIsDelivered() {
        var configuration = WebSocketConfiguration()
        configuration.maxMessageSize = 10
        let input = frame(0x2, Array(repeating: 1, count: 6), fin: false) + frame(0x0, Array(repeating: 2, count: 4))
        #expect(serverReceives(input, configuration: configuration).events.count == 1)
    }

    @Test func frameAnnouncingMoreThanTheLimitFailsOnItsHeaderAlone() {
        var configuration = WebSocketConfiguration()
        configuration.maxMessageSize = 10
        let header = Array(frame(0x2, Array(repeating: 0, count: 11)).prefix(6))
        expectFailure(header, code: 1009, reason: "message exceeds 10 bytes", configuration: configuration)
    }

    @Test func fragmentsSummingPastTheLimitFail() {
        var configuration = WebSocketConfiguration()
        configuration.maxMessageSize = 10
        let input = frame(0x1, text("123456"), fin: false) + Array(frame(0x0, text("12345")).prefix(6))
        expectFailure(input, code: 1009, reason: "message exceeds 10 bytes", configuration: configuration)
    }

    @Test func framesDeliveredOneByteAtATimeGiveTheSameMessages() {
        let input = frame(0x1, text("first"), fin: false) + frame(0x9, [1, 2]) + frame(0x0, text(" part"))
            + frame(0x2, Array(repeating: 0xAB, count: 300)) + frame(0x1, Array(repeating: 0x62, count: 70_000))
        var connection = openServer()
        var events: [WebSocketEvent] = []
        for byte in input { events += connection.receive([byte], now: .zero) }
        #expect(events == [.text(text("first part")), .binary(Array(repeating: 0xAB, count: 300)),
                           .text(Array(repeating: 0x62, count: 70_000))])
        #expect(connection.bufferedBytes == 0)
    }
}
