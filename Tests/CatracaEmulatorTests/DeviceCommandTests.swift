import CatracaEmulator
import CatracaJSON
import Foundation
import Testing

@Suite struct DeviceCommandTests {
    @Test func settimeMovesTheClockAndGettimeReadsIt() {
        let harness = ResponderHarness()

        let set = harness.send(#"{"cmd":"settime","cloudtime":"2024-01-10 13:30:00"}"#)
        harness.now += 5
        let read = harness.send(#"{"cmd":"gettime"}"#)

        #expect(set == ["ret": "settime", "sn": "EMU1", "result": true])
        #expect(read == ["ret": "gettime", "sn": "EMU1", "result": true, "time": "2024-01-10 13:30:05"])
        #expect(harness.state.clock.offset == 5400)
        #expect(harness.send(#"{"cmd":"settime","cloudtime":"2024-01-10T13:30:00Z"}"#)?["result"] == false)
    }

    @Test func setdevinfoSetsAnySubsetAndGetdevinfoReadsItBack() {
        let harness = ResponderHarness()

        let set = harness.send(#"{"cmd":"setdevinfo","deviceid":4,"volume":"7","usefpnum":2,"loghint":500}"#)
        let ratify = harness.send(#"{"cmd":"setdevinfo","server_verify":1}"#)
        let info = harness.send(#"{"cmd":"getdevinfo"}"#)

        #expect(set?["result"] == true && ratify?["result"] == true)
        #expect(info == ["ret": "getdevinfo", "sn": "EMU1", "result": true, "deviceid": 4, "language": 0, "volume": 7,
                         "screensaver": 0, "verifymode": 0, "sleep": 0, "userfpnum": 2, "loghint": 500,
                         "reverifytime": 0])
        #expect(harness.state.device.serverVerify == 1)
        #expect(harness.send(#"{"cmd":"setdevinfo","screensaver":300}"#)?["result"] == false)
        #expect(harness.state.device.screensaver == 0)
    }

    @Test func opendoorCountsOpeningsPerDoor() {
        let harness = ResponderHarness()

        let reply = harness.send(#"{"cmd":"opendoor","doornum":1}"#)
        harness.send(#"{"cmd":"opendoor","doornum":"2"}"#)
        harness.send(#"{"cmd":"opendoor"}"#)

        #expect(reply == ["ret": "opendoor", "sn": "EMU1", "result": true])
        #expect(harness.state.doorsOpened == [1: 2, 2: 1])
    }

    @Test func rebootIsCountedAndNeverAnswered() {
        let harness = ResponderHarness()

        let response = harness.response(#"{"cmd":"reboot"}"#)

        #expect(response.messages.isEmpty)
        #expect(response.restarts)
        #expect(harness.state.reboots == 1)
    }

    @Test func onlyAnActualRebootRestartsTheTerminal() {
        let refusing = ResponderHarness(quirks: [.refuseAll])
        let plain = ResponderHarness()

        let refusedReboot = refusing.response(#"{"cmd":"reboot"}"#)
        let otherCommand = plain.response(#"{"cmd":"opendoor","doornum":1}"#)

        #expect(!refusedReboot.restarts && refusing.state.reboots == 0)
        #expect(!otherCommand.restarts)
    }

    @Test func cleanlogAndInitsysEmptyTheTerminal() {
        let harness = ResponderHarness(users: 4, logs: 9)
        harness.send(#"{"cmd":"setdevinfo","volume":1}"#)
        harness.send(#"{"cmd":"opendoor","doornum":1}"#)

        #expect(harness.send(#"{"cmd":"cleanlog"}"#)?["result"] == true)
        let logsAfterClean = harness.state.logs.count
        #expect(harness.send(#"{"cmd":"initsys"}"#)?["result"] == true)

        #expect(logsAfterClean == 0)
        #expect(harness.state.users.isEmpty)
        #expect(harness.state.device == DeviceSettings())
        #expect(harness.state.doorsOpened == [1: 1], "counters survive a factory clean")
    }

    @Test func anUnknownCommandIsRefused() {
        let harness = ResponderHarness()

        #expect(harness.send(#"{"cmd":"selfdestruct"}"#) == ["ret": "selfdestruct", "sn": "EMU1", "result": false,
                                                               "reason": 1])
    }

    @Test func theLastFiftyCommandsAreKeptWithLongStringsCut() {
        let harness = ResponderHarness()
        harness.send(#"{"cmd":"setuserinfo","enrollid":1,"backupnum":50,"record":"\#(jpegPhoto())"}"#)
        for door in 1...60 { harness.send(#"{"cmd":"opendoor","doornum":\#(door)}"#) }

        let commands = harness.state.receivedCommands

        #expect(commands.count == 50)
        #expect(commands.last?.command["doornum"] == 60)
        let first = ResponderHarness()
        first.send(#"{"cmd":"setuserinfo","enrollid":1,"backupnum":50,"record":"\#(jpegPhoto())"}"#)
        #expect(first.state.receivedCommands[0].command["record"] == "<800 chars>")
        #expect(first.state.receivedCommands[0].outcome == "replied")
    }
}
