import CatracaCore
import CatracaIntercom
import CatracaJSON
import Testing

/// Who may do what on the phones' port, and what happens to messages that name the wrong session or carry garbage.
@Suite struct IntercomGuardTests {
    @Test func phoneregWithTheRightSecretGetsTheICESettings() {
        let harness = SwitchboardHarness()
        let effects = harness.phone(1, ["cmd": "phonereg", "phonenum": 1001, "enrollid": 7, "secret": "s1"])

        let reply = sent(effects, to: phoneAt(1)).first
        #expect(reply?["result"] == true)
        #expect(reply?["stunserver"] == "stun:127.0.0.1:3478")
        #expect(harness.switchboard.identity(ofConnection: 1)?.name == "Ana")
    }

    @Test(arguments: [
        ["cmd": "phonereg", "phonenum": "1001", "secret": "nope"] as JSONValue,
        ["cmd": "phonereg", "phonenum": "5555", "secret": "s1"],
        ["cmd": "phonereg", "phonenum": "1001", "enrollid": 99, "secret": "s1"],
        ["cmd": "phonereg", "token": "not-the-token"],
        ["cmd": "phonereg"],
    ])
    func aPhoneThatCannotProveItselfIsRefusedAndClosed(message: JSONValue) {
        let harness = SwitchboardHarness()
        let effects = harness.phone(1, message)

        #expect(sent(effects, to: phoneAt(1)).first?["result"] == false)
        #expect(effects.contains(.close(connection: 1, reason: "phonereg refused")))
        #expect(harness.switchboard.identity(ofConnection: 1) == nil)
    }

    @Test func aHugePhoneNumberIsRefusedWithoutBeingEchoedOrLoggedWhole() {
        let harness = SwitchboardHarness()
        let huge = String(repeating: "9", count: 200_000)
        let effects = harness.phone(1, ["cmd": "phonereg", "phonenum": .string(huge), "secret": "s1"])

        let reply = sent(effects, to: phoneAt(1)).first
        #expect(reply?["result"] == false)
        #expect((reply.map { JSONValue.object($0).description.utf8.count } ?? .max) < 1_000,
                "the reply does not carry the number back")
        #expect(harness.logs.entries.allSatisfy { $0.renderedMetadata.utf8.count < 1_000 })
    }

    @Test func aPhoneThatFailsToRegisterAgainMidCallStillEndsItWhenItDrops() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()
        _ = harness.phone(1, ["cmd": "callaccept", "sessionid": "T1"])

        let refused = harness.phone(1, ["cmd": "phonereg", "phonenum": "1001", "secret": "wrong"])
        let dropped = harness.switchboard.phoneDisconnected(connection: 1)

        #expect(refused.contains(.close(connection: 1, reason: "phonereg refused")))
        #expect(names(dropped, to: terminalT1) == ["callcancel"])
        #expect(endings(dropped).map(\.ending) == [.phoneDropped])
    }

    @Test func anUnregisteredPhoneCannotAnswerOrWatch() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()

        for message: JSONValue in [
            ["cmd": "callaccept", "sessionid": "T1", "result": true], ["cmd": "monitorcall", "sn": "T1"], sampleAnswer,
        ] {
            let effects = harness.phone(9, message)
            #expect(sent(effects, to: terminalT1).isEmpty)
            #expect(sent(effects, to: phoneAt(9)).first?["reason"] == "register with phonereg first")
        }
    }

    @Test func anUnknownSessionIsRefusedWithoutReachingAnyone() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()
        _ = harness.phone(1, ["cmd": "callaccept", "sessionid": "T1"])

        let effects = harness.phone(1, ["cmd": "answer", "sessionid": "T9", "type": "answer", "sdp": "v=0\r\nm=x"])

        #expect(effects.count == 1)
        #expect(sent(effects, to: phoneAt(1)).first?["result"] == false)
    }

    @Test func aTerminalNamingAnotherTerminalsSessionIsRefused() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()
        harness.switchboard.terminalConnected(sn: "T2")

        var offer = sampleOffer
        offer["sessionid"] = "T1"
        let effects = harness.terminal("T2", offer)

        #expect(sent(effects, to: .terminal(sn: "T2")).first?["result"] == false)
        #expect(sent(effects, to: phoneAt(1)).isEmpty)
    }

    @Test(arguments: [
        ["cmd": "answer", "sessionid": "T1", "type": "answer", "sdp": "hello"] as JSONValue,
        ["cmd": "answer", "sessionid": "T1", "type": "offer", "sdp": "v=0\r\nm=video 9\r\n"],
        ["cmd": "answer", "sessionid": "T1"],
        ["cmd": "icecandidate", "sessionid": "T1", "candidate": "{not json"],
        ["cmd": "icecandidate", "sessionid": "T1", "candidate": "{\"candidate\":\"typ host\"}"],
        ["cmd": "icecandidate", "sessionid": "T1", "candidate": 12],
        ["cmd": "icecandidate", "sessionid": "T1"],
    ])
    func malformedSignalingIsRefusedNotRelayed(message: JSONValue) {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()
        _ = harness.phone(1, ["cmd": "callaccept", "sessionid": "T1"])

        let effects = harness.phone(1, message)

        #expect(sent(effects, to: terminalT1).isEmpty)
        #expect(sent(effects, to: phoneAt(1)).first?["result"] == false)
    }

    @Test func aMalformedOfferFromTheTerminalIsRefused() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()
        _ = harness.phone(1, ["cmd": "callaccept", "sessionid": "T1"])

        let effects = harness.terminal("T1", ["cmd": "offer", "sessionid": "T1", "type": "offer", "sdp": ""])

        #expect(sent(effects, to: terminalT1).first?["result"] == false)
        #expect(sent(effects, to: phoneAt(1)).isEmpty)
    }

    @Test func notJSONFromAPhoneIsDroppedWithALogLine() {
        let harness = SwitchboardHarness()
        #expect(harness.switchboard.phoneMessage(connection: 1, text: Array("hello".utf8)).isEmpty)
        #expect(harness.logs.entries.contains { $0.message.contains("not a JSON object") })
    }

    @Test func aTerminalsOtherMessagesAreNotTheSwitchboards() {
        let harness = SwitchboardHarness()
        #expect(harness.switchboard.terminalMessage(sn: "T1", name: "enablewebrtc", isReply: true,
                                                    body: ["ret": "enablewebrtc", "result": true]) == nil)
        #expect(harness.switchboard.terminalMessage(sn: "T1", name: "answer", isReply: true,
                                                    body: ["ret": "answer", "result": true]) == [])
    }
}
