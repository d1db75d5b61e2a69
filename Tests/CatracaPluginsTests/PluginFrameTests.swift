import CatracaJSON
import CatracaPlugins
import Testing

@Suite struct PluginFrameTests {
    @Test func aFrameIsItsLengthBigEndianThenTheJSON() {
        let frame = PluginFrame.encode(["type": "opened"])
        #expect(Array(frame.prefix(4)) == [0, 0, 0, 17])
        #expect(String(decoding: frame.dropFirst(4), as: UTF8.self) == #"{"type":"opened"}"#)
    }

    @Test func framesArrivingByteByByteAreCutWhole() throws {
        let first: JSONValue = ["type": "call", "id": 1, "hook": "on_record", "args": ["sn": "AB12"]]
        let second: JSONValue = ["type": "opened"]
        var decoder = PluginFrameDecoder()
        var frames: [JSONObject] = []
        for byte in PluginFrame.encode(first) + PluginFrame.encode(second) {
            decoder.append([byte])
            while let frame = try decoder.next() { frames.append(frame) }
        }
        #expect(frames.map { JSONValue.object($0) } == [first, second])
    }

    @Test func aLengthOverTheLimitIsACorruptStream() {
        var decoder = PluginFrameDecoder()
        decoder.append([0x7F, 0xFF, 0xFF, 0xFF])
        #expect(throws: PluginFrameError.tooLarge(length: 0x7FFF_FFFF)) { try decoder.next() }
    }

    @Test func aFrameThatIsNotJSONIsReported() {
        var decoder = PluginFrameDecoder()
        decoder.append([0, 0, 0, 3] + Array("{x}".utf8))
        #expect(throws: PluginFrameError.self) { try decoder.next() }
    }

    @Test func hostMessagesRoundTrip() throws {
        let messages: [PluginHostMessage] = [
            .hello(name: "schedule", version: "1.0", abiVersion: 1, hooks: [.record, .qrcode]),
            .refused(reason: "plugin ABI version 9, host ABI version 1"),
            .opened,
            .answer(id: 7, .decided(PluginDecision(access: .deny, message: "Outside your hours", fontsize: 32,
                                                   textColor: 0xFF0000))),
            .answer(id: 8, .failed(reason: "on_record returned 5")),
            .log(level: 2, message: "slow disk", context: [("path", "/x")]),
            .openDoor(sn: "AB12", door: 1),
        ]
        for message in messages {
            var decoder = PluginFrameDecoder()
            decoder.append(PluginFrame.encode(message.frame))
            let frame = try #require(try decoder.next())
            #expect(try PluginHostMessage(frame: frame) == message)
        }
    }

    @Test func aCallFrameReadsBackOnTheHostSide() throws {
        let arguments = PluginCallArguments.qrcode(sn: "S", code: "Q")
        let call = PluginDaemonMessage.call(id: 3, hook: .qrcode, arguments: arguments)
        let frame = try #require(call.frame.object)
        #expect(PluginDaemonMessage(frame: frame) == call)
    }
}
