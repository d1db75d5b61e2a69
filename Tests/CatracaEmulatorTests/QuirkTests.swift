import CatracaCore
import CatracaEmulator
import CatracaJSON
import Testing

@Suite struct QuirkTests {
    @Test func cmdRepliesTagRepliesWithCmd() {
        let harness = ResponderHarness(quirks: [.cmdReplies])

        let reply = harness.send(#"{"cmd":"gettime"}"#)

        #expect(reply?["cmd"] == "gettime")
        #expect(reply?["ret"] == nil)
    }

    @Test func stringNumbersSendNumbersAsTextAndAdminAlternates() {
        let harness = ResponderHarness(users: 4, quirks: [.stringNumbers])

        let list = harness.send(#"{"cmd":"getuserlist","stn":true}"#)

        #expect(list?["count"] == "4" && list?["to"] == "3")
        #expect(list?["result"] == true, "booleans stay booleans")
        let records = list?["record"]?.array ?? []
        #expect(records.map { $0["enrollid"] } == ["1", "2", "3", "4"])
        #expect(records.map { $0["admin"] } == ["1", 0, "0", 0])
    }

    @Test func vendorSpellingsUseTheDevicesOwnKeys() {
        let harness = ResponderHarness(users: 1, quirks: [.vendorSpellings])
        harness.send(#"{"cmd":"setquestionnaire","title":"T","schedules":["05:30-07:30*1"]}"#)
        harness.send(#"{"cmd":"setuserlock","record":[{"enrollid":1,"weekzone":1,"group":1}]}"#)

        let user = harness.send(#"{"cmd":"getuserinfo","enrollid":1}"#)
        let survey = harness.send(#"{"cmd":"getquestionnaire","stn":true}"#)
        let lock = harness.send(#"{"cmd":"getuserlock","enrollid":1}"#)
        let refused = harness.send(#"{"cmd":"getusername","enrollid":9}"#)
        let devlock = harness.send(#"{"cmd":"getdevlock"}"#)

        #expect(user?["departmant"] != nil && user?["department"] == nil)
        #expect(survey?["tittle"] == "T" && survey?["Schedules"] == ["05:30-07:30*1"])
        #expect(lock?["cmd"] == "getuserlock" && lock?["ret"] == nil)
        #expect(refused?["reson"] == 1 && refused?["reason"] == nil)
        #expect(devlock?["multiopen"] == 0)
    }

    @Test func sendlogBeforeReplyPushesOneNewRecordFirst() {
        let harness = ResponderHarness(users: 2, quirks: [.sendlogBeforeReply])

        let first = harness.response(#"{"cmd":"gettime"}"#)
        let second = harness.response(#"{"cmd":"gettime"}"#)

        #expect(first.messages.count == 2)
        let push = first.messages[0]
        #expect(push["cmd"] == "sendlog" && push["count"] == 1 && push["logindex"] == 0 && push["sn"] == "EMU1")
        #expect(push["record"]?.array?.first?["time"] == "2024-01-10 12:00:00")
        #expect(second.messages[0]["record"]?.array?.first?["time"] == "2024-01-10 12:00:01", "never the same time")
        #expect(first.reply?["ret"] == "gettime")
        #expect(harness.state.newLogCount == 2)
        harness.responder.pushAcknowledged(logIndex: 0)
        #expect(harness.state.newLogCount == 1)
    }

    @Test func endlessPagingReturnsTheSamePageForever() {
        let harness = ResponderHarness(users: 100, quirks: [.endlessPaging])

        let first = harness.send(#"{"cmd":"getuserlist","stn":true}"#)
        let pages = (0..<5).map { _ in harness.send(#"{"cmd":"getuserlist","stn":false}"#) }

        #expect(pages.allSatisfy { $0 == first })
    }

    @Test func refuseAllRefusesEverythingAndChangesNothing() {
        let harness = ResponderHarness(users: 2, quirks: [.refuseAll])

        let replies = [#"{"cmd":"cleanuser"}"#, #"{"cmd":"opendoor","doornum":1}"#, #"{"cmd":"gettime"}"#].map {
            harness.send($0)
        }
        let reboot = harness.response(#"{"cmd":"reboot"}"#)

        #expect(replies.allSatisfy { $0?["result"] == false && $0?["reason"] == 1 })
        #expect(harness.state.users.count == 2 && harness.state.doorsOpened.isEmpty)
        #expect(reboot.messages.isEmpty && harness.state.reboots == 0)
    }

    @Test func noReplyCarriesCommandsOutSilently() {
        let harness = ResponderHarness(quirks: [.noReply])

        let response = harness.response(#"{"cmd":"opendoor","doornum":1}"#)

        #expect(response.messages.isEmpty)
        #expect(harness.state.doorsOpened == [1: 1])
    }

    @Test func slowReplyDelaysTheReply() {
        let harness = ResponderHarness(quirks: [.slowReply])

        let response = harness.response(#"{"cmd":"gettime"}"#)

        #expect(response.delay == .milliseconds(1500))
        #expect(response.reply?["time"] != nil)
    }

    @Test func silentUndocumentedLeavesOnlyTheUndocumentedRepliesOut() {
        let harness = ResponderHarness(quirks: [.silentUndocumented])

        for command in [#"{"cmd":"cleanadmin"}"#, #"{"cmd":"settime","cloudtime":"2024-01-10 13:00:00"}"#,
                        #"{"cmd":"opendoor","doornum":2}"#] {
            #expect(harness.response(command).messages.isEmpty, "\(command)")
        }
        #expect(harness.send(#"{"cmd":"gettime"}"#)?["time"] == "2024-01-10 13:00:00")
        #expect(harness.state.doorsOpened == [2: 1])
    }

    @Test func quirkListsAreParsedWithTheSlowReplyDelay() throws {
        let quirks = try TerminalQuirks(parsing: "cmd-replies, slow-reply=250,refuse-all")

        #expect(quirks.enabled == [.cmdReplies, .slowReply, .refuseAll])
        #expect(quirks.slowReplyDelay == .milliseconds(250))
        #expect(quirks.names == ["cmd-replies", "refuse-all", "slow-reply=250"])
        #expect(throws: QuirkError.self) { try TerminalQuirks(parsing: "cmd-reply") }
        #expect(throws: QuirkError.self) { try TerminalQuirks(parsing: "refuse-all=3") }
    }
}
