import CatracaCore
import CatracaIntercom
import CatracaJSON
import Testing

@Suite struct IntercomCallTests {
    @Test func talkcallRingsEveryPhoneOfTheApartmentAndAnswersTheTerminal() {
        let harness = SwitchboardHarness()
        let effects = harness.ringApartment()

        let reply = sent(effects, to: terminalT1)
        #expect(reply.count == 1)
        #expect(reply.first?["ret"] == "talkcall")
        #expect(reply.first?["result"] == true)
        #expect(reply.first?["sessionid"] == "T1")
        #expect(reply.first?["username"] == "Ana")
        #expect(names(effects, to: phoneAt(1)) == ["talkring"])
        #expect(names(effects, to: phoneAt(2)) == ["talkring"])
        #expect(sent(effects, to: phoneAt(2)).first?["sessionid"] == "T1")
    }

    @Test func firstAcceptWinsAndTheOtherPhoneIsCancelled() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()

        let accepted = harness.phone(2, ["cmd": "callaccept", "sessionid": "T1", "result": true, "calltype": 0])
        #expect(names(accepted, to: phoneAt(1)) == ["callcancel"])
        #expect(sent(accepted, to: terminalT1).first?["cmd"] == "callaccept")
        #expect(sent(accepted, to: terminalT1).first?["result"] == true)

        let late = harness.phone(1, ["cmd": "callaccept", "sessionid": "T1", "result": true])
        #expect(sent(late, to: phoneAt(1)).first?["result"] == false)
        #expect(sent(late, to: terminalT1).isEmpty)
    }

    @Test func offerAnswerAndCandidatesGoToTheRightSide() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()
        _ = harness.phone(1, ["cmd": "callaccept", "sessionid": "T1", "result": true])

        #expect(sent(harness.terminal("T1", sampleOffer), to: phoneAt(1)) == [sampleOffer])
        #expect(names(harness.phone(1, sampleAnswer), to: terminalT1) == ["answer"])
        let line = "{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 5000 typ host\",\"sdpMid\":\"0\","
            + "\"sdpMLineIndex\":0}"
        let candidate: JSONValue = ["cmd": "icecandidate", "sessionid": "T1", "calltype": 0, "candidate": .string(line)]
        #expect(names(harness.phone(1, candidate), to: terminalT1) == ["icecandidate"])
        let endOfCandidates: JSONObject = ["cmd": "icecandidate", "sessionid": "T1", "candidate": ""]
        #expect(names(harness.terminal("T1", endOfCandidates), to: phoneAt(1)) == ["icecandidate"])
        #expect(names(harness.phone(1, ["cmd": "viewready", "sessionid": "T1"]), to: terminalT1) == ["viewready"])
        #expect(names(harness.phone(2, sampleAnswer), to: terminalT1).isEmpty)
    }

    @Test func anOfferBeforeTheAnswerIsHeldForThePhoneThatAccepts() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()

        #expect(harness.terminal("T1", sampleOffer).isEmpty)
        let accepted = harness.phone(2, ["cmd": "callaccept", "sessionid": "T1"])
        #expect(names(accepted, to: phoneAt(2)) == ["offer"])
    }

    @Test func nobodyAnsweringCancelsBothSidesAtTheRingTimeout() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()
        #expect(harness.switchboard.nextDeadline == harness.clock.now + .seconds(30))

        harness.clock.advance(by: .seconds(29))
        #expect(harness.switchboard.tick().isEmpty)
        harness.clock.advance(by: .seconds(1))
        let effects = harness.switchboard.tick()

        #expect(names(effects, to: phoneAt(1)) == ["callcancel"])
        #expect(names(effects, to: phoneAt(2)) == ["callcancel"])
        #expect(names(effects, to: terminalT1) == ["callcancel"])
        #expect(endings(effects).map(\.ending) == [.unanswered])
        #expect(endings(effects).first?.rang == ["1001", "1002"])
        #expect(harness.switchboard.nextDeadline == nil)
    }

    @Test func everyPhoneRefusingTellsTheTerminalCallacceptFalse() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()

        #expect(harness.phone(1, ["cmd": "callaccept", "sessionid": "T1", "result": false]).isEmpty)
        let effects = harness.phone(2, ["cmd": "callcancel", "sessionid": "T1"])

        #expect(sent(effects, to: terminalT1).first?["result"] == false)
        #expect(endings(effects).map(\.ending) == [.refused])
    }

    @Test func aPhoneDroppingMidCallEndsItForTheTerminal() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()
        _ = harness.phone(1, ["cmd": "callaccept", "sessionid": "T1"])
        harness.clock.advance(by: .seconds(12))

        let effects = harness.switchboard.phoneDisconnected(connection: 1)

        #expect(names(effects, to: terminalT1) == ["callcancel"])
        let summary = endings(effects).first
        #expect(summary?.ending == .phoneDropped)
        #expect(summary?.answeredBy == "1001")
        #expect(summary?.talkSeconds == 12)
    }

    @Test func theTerminalHangingUpCancelsThePhone() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()
        _ = harness.phone(1, ["cmd": "callaccept", "sessionid": "T1"])

        let effects = harness.terminal("T1", ["cmd": "callcancel", "sn": "T1", "sessionid": "T1"])

        #expect(names(effects, to: phoneAt(1)) == ["callcancel"])
        #expect(endings(effects).map(\.ending) == [.hungUpByTerminal])
    }

    @Test func theTerminalDroppingCancelsTheRingingPhones() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()

        let effects = harness.switchboard.terminalDisconnected(sn: "T1")

        #expect(names(effects, to: phoneAt(1)) == ["callcancel"])
        #expect(names(effects, to: phoneAt(2)) == ["callcancel"])
        #expect(endings(effects).map(\.ending) == [.terminalDropped])
    }

    @Test(arguments: [
        (0, "", "1003"), (1, "8", "1002"), (2, "1001", "1001"), (3, "202", "1003"),
    ])
    func inputModesPickThePhones(mode: Int, number: String, phonenum: String) {
        let harness = SwitchboardHarness()
        harness.switchboard.terminalConnected(sn: "T1")
        harness.register(1, "1001")
        harness.register(2, "1002")
        harness.register(3, "1003")

        let effects = harness.terminal("T1", ["cmd": "talkcall", "inputmode": .integer(mode),
                                              "inputnum": .string(number)])

        let rung = (1...3).filter { !names(effects, to: phoneAt(UInt64($0))).isEmpty }
        #expect(rung.map { ["1001", "1002", "1003"][$0 - 1] } == [phonenum])
    }

    @Test func aNumberNobodyAnswersForIsRefusedAndLogged() {
        let harness = SwitchboardHarness()
        harness.switchboard.terminalConnected(sn: "T1")

        let effects = harness.terminal("T1", ["cmd": "talkcall", "inputmode": 2, "inputnum": "9999"])

        #expect(sent(effects, to: terminalT1).first?["result"] == false)
        #expect(endings(effects).map(\.ending) == [.noPhone])
    }

    @Test func aNewTalkcallReplacesTheTerminalsCall() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()

        let effects = harness.terminal("T1", ["cmd": "talkcall", "inputmode": 2, "inputnum": "1001"])

        #expect(names(effects, to: phoneAt(2)) == ["callcancel"])
        #expect(names(effects, to: phoneAt(1)) == ["callcancel", "talkring"])
        #expect(endings(effects).map(\.ending) == [.replaced])
    }

    @Test func endAllCancelsBothSides() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()
        _ = harness.phone(1, ["cmd": "callaccept", "sessionid": "T1"])

        let effects = harness.switchboard.endAll()

        #expect(names(effects, to: phoneAt(1)) == ["callcancel"])
        #expect(names(effects, to: terminalT1) == ["callcancel"])
        #expect(endings(effects).map(\.ending) == [.shutdown])
        #expect(harness.switchboard.callCount == 0)
    }
}
