import CatracaCore
import Testing
@testable import CatracaWebSocket

@Suite struct RobustnessTests {
    /// Feeds `bytes` in randomly sized pieces until the connection ends or the bytes run out.
    private func feed(_ bytes: [UInt8], to connection: inout WebSocketConnection,
                      using generator: inout SeededGenerator) {
        var offset = 0
        while offset < bytes.count && !connection.isTerminated {
            let size = Int.random(in: 1...4096, using: &generator)
            _ = connection.receive(Array(bytes[offset..<min(offset + size, bytes.count)]), now: .zero)
            offset += size
        }
    }

    @Test(arguments: 0..<20 as Range<UInt64>)
    func hundredThousandBytesOfGarbageAfterTheHandshakeEndTheConnectionCleanly(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        let garbage = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var connection = openServer()
        feed(garbage, to: &connection, using: &generator)
        #expect(connection.bufferedBytes <= WebSocketConfiguration().maxMessageSize)
        if connection.isTerminated {
            #expect(writtenFrames(connection.takeOutput()).last?.opcode == 0x8)
        }
    }

    @Test(arguments: 0..<5 as Range<UInt64>)
    func garbageInsteadOfAnUpgradeRequestIsRefused(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        let garbage = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var connection = WebSocketConnection(role: .server, configuration: WebSocketConfiguration(), now: .zero)
        feed(garbage, to: &connection, using: &generator)
        #expect(connection.isTerminated)
        #expect(String(decoding: connection.takeOutput(), as: UTF8.self).hasPrefix("HTTP/1.1 4"))
    }

    @Test func garbageThatLooksLikeFramesIsHandled() {
        var generator = SeededGenerator(state: 99)
        for _ in 0..<200 {
            var bytes: [UInt8] = []
            while bytes.count < 2000 {
                let opcode = ([0, 1, 2, 8, 9, 10, 3] as [UInt8]).randomElement(using: &generator)!
                let payload = (0..<Int.random(in: 0...130, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
                bytes += frame(opcode, payload, fin: Bool.random(using: &generator))
            }
            var connection = openServer()
            feed(bytes, to: &connection, using: &generator)
        }
    }

    @Test func hundredThousandFragmentsDeepMessageIsAssembledWithoutRecursion() {
        var input = frame(0x1, text("a"), fin: false)
        for _ in 0..<100_000 { input += frame(0x0, [], fin: false) }
        input += frame(0x0, text("z"))
        var connection = openServer()
        #expect(connection.receive(input, now: .zero) == [.text(text("az"))])
    }

    @Test func idleConnectionHoldsNoBuffers() {
        let connection = openServer()
        #expect(connection.bufferedBytes == 0)
        #expect(connection.message.capacity == 0)
        #expect(connection.control.capacity == 0)
        #expect(connection.partialHeader.capacity == 0)
        #expect(connection.output.capacity == 0)
    }

    @Test func largeMessageBufferIsReleasedOnceDelivered() {
        var connection = openServer()
        let payload = Array(repeating: UInt8(0x41), count: 2 << 20)
        let whole = frame(0x1, payload)
        _ = connection.receive(Array(whole.prefix(1 << 20)), now: .zero)
        #expect(connection.bufferedBytes == (1 << 20) - 14)

        let events = connection.receive(Array(whole.dropFirst(1 << 20)), now: .zero)
        #expect(events == [.text(payload)])
        #expect(connection.bufferedBytes == 0)
        #expect(connection.message.capacity == 0)
    }

    @Test func sixteenMebibyteMessageArrivingInReadsOf64KiB() {
        let payload = (0..<(16 << 20)).map { UInt8(0x20 + $0 % 90) }
        let input = frame(0x1, payload)
        var connection = openServer()
        var events: [WebSocketEvent] = []
        for start in stride(from: 0, to: input.count, by: 65_536) {
            events += connection.receive(Array(input[start..<min(start + 65_536, input.count)]), now: .zero)
        }
        #expect(events == [.text(payload)])
    }

    @Test func fourMebibyteMessageIn64ByteFragments() {
        let payload = Array(repeating: UInt8(0x2A), count: 4 << 20)
        var input: [UInt8] = []
        for start in stride(from: 0, to: payload.count, by: 64) {
            input += frame(start == 0 ? 0x2 : 0x0, Array(payload[start..<start + 64]), fin: start + 64 == payload.count)
        }
        var connection = openServer()
        var events: [WebSocketEvent] = []
        for start in stride(from: 0, to: input.count, by: 65_536) {
            events += connection.receive(Array(input[start..<min(start + 65_536, input.count)]), now: .zero)
        }
        #expect(events == [.binary(payload)])
    }
}
