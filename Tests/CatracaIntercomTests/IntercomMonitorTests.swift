import CatracaCore
import CatracaIntercom
import CatracaJSON
import Testing

@Suite struct IntercomMonitorTests {
    @Test func aBrowserWithTheAPITokenWatchesATerminal() {
        let harness = SwitchboardHarness()
        harness.switchboard.terminalConnected(sn: "T1")
        _ = harness.phone(5, ["cmd": "phonereg", "token": "api-token"])

        let effects = harness.phone(5, ["cmd": "monitorcall", "sn": "T1", "calltype": 0])

        #expect(sent(effects, to: phoneAt(5)).first?["result"] == true)
        #expect(sent(effects, to: phoneAt(5)).first?["sessionid"] == "T1")
        #expect(names(effects, to: terminalT1) == ["monitorcall"])
        #expect(names(harness.phone(5, ["cmd": "viewready", "sessionid": "T1"]), to: terminalT1) == ["viewready"])
        #expect(names(harness.terminal("T1", sampleOffer), to: phoneAt(5)) == ["offer"])
        #expect(names(harness.phone(5, sampleAnswer), to: terminalT1) == ["answer"])

        harness.clock.advance(by: .seconds(5))
        let ended = harness.phone(5, ["cmd": "callcancel", "sessionid": "T1"])
        #expect(names(ended, to: terminalT1) == ["callcancel"])
        #expect(endings(ended).first?.kind == .monitor)
        #expect(endings(ended).first?.answeredBy == "browser-5")
        #expect(endings(ended).first?.talkSeconds == 5)
    }

    @Test func aBrowserIsNeverRung() {
        let harness = SwitchboardHarness()
        harness.switchboard.terminalConnected(sn: "T1")
        _ = harness.phone(5, ["cmd": "phonereg", "token": "api-token"])

        let effects = harness.terminal("T1", ["cmd": "talkcall", "inputmode": 2, "inputnum": "browser-5"])

        #expect(sent(effects, to: phoneAt(5)).isEmpty)
    }

    @Test func watchingAnAbsentOrBusyTerminalIsRefused() {
        let harness = SwitchboardHarness()
        _ = harness.ringApartment()
        harness.register(3, "1003")

        let busy = harness.phone(3, ["cmd": "monitorcall", "sn": "T1"])
        let absent = harness.phone(3, ["cmd": "monitorcall", "sn": "T7"])

        #expect(sent(busy, to: phoneAt(3)).first?["reason"] == "terminal T1 is busy in another call")
        #expect(sent(absent, to: phoneAt(3)).first?["reason"] == "terminal T7 is not connected")
        #expect(sent(busy + absent, to: terminalT1).isEmpty)
    }
}
