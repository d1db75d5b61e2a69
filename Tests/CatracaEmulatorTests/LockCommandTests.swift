import CatracaEmulator
import CatracaJSON
import Testing

@Suite struct LockCommandTests {
    @Test func setdevlockTakesSentSpellingsAndGetdevlockRepliesWithTheReplySpellings() {
        let harness = ResponderHarness()

        let set = harness.send(#"""
            {"cmd":"setdevlock","opendelay":3,"InputAlarm":2,"mutiopen":2,"wgformat":1,
             "dayzone":[{"day":[{"section":"07:00~08:30"},{"section":"12:45~13:15"}]},
                        {"day":[{"section":"00:01~23:59"}]}],
             "weekzone":[{"week":[{"day":2},{"day":1},{"day":1},{"day":1},{"day":1},{"day":1},{"day":2}]}]}
            """#)
        let read = harness.send(#"{"cmd":"getdevlock"}"#)

        #expect(set == ["ret": "setdevlock", "sn": "EMU1", "result": true])
        #expect(read?["opendelay"] == 3 && read?["inputalarm"] == 2 && read?["multiopen"] == 2)
        #expect(read?["mutiopen"] == nil)
        #expect(read?["wgformat"] == 34)
        #expect(read?["dayzone"] == [
            ["day": [["section": "07:00~08:30"], ["section": "12:45~13:15"]]], ["day": [["section": "00:01~23:59"]]],
        ])
        #expect(read?["weekzone"]?.array?.first?["week"]?.array?.map { $0["day"]?.int } == [2, 1, 1, 1, 1, 1, 2])
    }

    @Test(arguments: [
        #"{"cmd":"setdevlock","doorsensor":3}"#,
        #"{"cmd":"setdevlock","wgformat":2}"#,
        #"{"cmd":"setdevlock","dayzone":[{"day":[{"section":"25:00~26:00"}]}]}"#,
        #"{"cmd":"setdevlock","dayzone":[{"day":[{"section":"7:00-8:00"}]}]}"#,
        #"{"cmd":"setdevlock","dayzone":["# + Array(repeating: #"{"day":[]}"#, count: 9).joined(separator: ",") + "]}",
        #"{"cmd":"setdevlock","dayzone":[{"day":[{"section":"00:01~23:59"}]}],"weekzone":[{"week":[{"day":2}]}]}"#,
    ])
    func setdevlockRefusesWhatAFirmwareWouldAndChangesNothing(command: String) {
        let harness = ResponderHarness()

        let reply = harness.send(command)

        #expect(reply?["result"] == false)
        #expect(reply?["reason"] == 1)
        #expect(harness.state.doorLock == DoorLockSettings())
    }

    @Test func userLocksAreSetReadDeletedAndCleaned() {
        let harness = ResponderHarness(users: 3)

        let set = harness.send(#"""
            {"cmd":"setuserlock","count":2,"record":[{"enrollid":1,"weekzone":1,"group":1},
             {"enrollid":2,"weekzone":1,"group":0,"starttime":"2025-10-10 01:00:00","endtime":"2099-03-25 23:00:00"}]}
            """#)
        let read = harness.send(#"{"cmd":"getuserlock","enrollid":2}"#)
        let deleted = harness.send(#"{"cmd":"deleteuserlock","enrollid":1}"#)
        let gone = harness.send(#"{"cmd":"getuserlock","enrollid":1}"#)
        let locksLeft = harness.state.userLocks.count
        let cleaned = harness.send(#"{"cmd":"cleanuserlock"}"#)

        #expect(set == ["ret": "setuserlock", "sn": "EMU1", "result": true])
        #expect(read == ["ret": "getuserlock", "sn": "EMU1", "result": true, "enrollid": 2, "weekzone": 1, "group": 0,
                         "starttime": "2025-10-10 01:00:00", "endtime": "2099-03-25 23:00:00"])
        #expect(deleted?["result"] == true)
        #expect(gone?["result"] == false && gone?["reason"] == 1)
        #expect(locksLeft == 1)
        #expect(cleaned?["result"] == true)
        #expect(harness.state.userLocks.isEmpty)
    }

    @Test func setuserlockForAnUnknownUserChangesNothing() {
        let harness = ResponderHarness(users: 1)

        let reply = harness.send(
            #"{"cmd":"setuserlock","record":[{"enrollid":1,"weekzone":1,"group":1},{"enrollid":9,"weekzone":1}]}"#)

        #expect(reply?["result"] == false)
        #expect(harness.state.userLocks.isEmpty)
    }
}
