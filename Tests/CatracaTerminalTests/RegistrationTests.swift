import CatracaCore
import Testing
@testable import CatracaTerminal

@Suite struct RegistrationTests {
    private let vendorExample = #"""
        {"cmd":"reg","sn":"ABCD12345678",
         "devinfo":{"modelname":"AiFace","usersize":5000,"facesize":5000,"fpsize":0,
          "palmsize":0,"cardsize":5000,"pwdsize":5000,"logsize":500000,
          "useduser":2,"usedface":2,"usedfp":0,"usedpalm":0,"usedcard":1,"usedpwd":1,
          "usedlog":22,"usednewlog":16,"usedrtlog":16,"netinuse":1,"usb4g":0,
          "fpalgo":"thbio3.0","firmware":"<firmware version>",
          "time":"2024-12-31 00:00:00","intercom":0,"floors":48,"charid":1,
          "useosdp":0,"dislanguage":524417,"curip":"<ip>","mac":"<mac>"}}
        """#

    @Test func theVendorExampleIsAcceptedWithSiteLocalCloudtime() throws {
        let harness = SessionHarness()
        let effects = harness.receive(vendorExample)

        #expect(effects.sentTexts == [
            #"{"ret":"reg","result":true,"cloudtime":"2023-12-23 13:49:30","nosenduser":true}"#,
        ])
        let registration = try #require(effects.registrations.first)
        #expect(registration.sn == "ABCD12345678")
        #expect(registration.address == "10.0.0.5:41000")
        #expect(registration.seenAt == SessionHarness.registeredAt)
        #expect(registration.devinfoJSON?.hasPrefix(#"{"modelname":"AiFace","usersize":5000,"#) == true)
        #expect(registration.devinfoJSON?.hasSuffix(#""curip":"<ip>","mac":"<mac>"}"#) == true)
        #expect(harness.session.serialNumber == "ABCD12345678")
    }

    @Test func registerComesBeforeTheReply() {
        let effects = SessionHarness().receive(vendorExample)
        guard effects.count == 2, case .register = effects[0], case .send = effects[1] else {
            Issue.record("expected register then send, got \(effects)")
            return
        }
    }

    @Test func devinfoAtTheTopLevelIsCollected() throws {
        let effects = SessionHarness().receive(
            #"{"cmd":"reg","sn":"F1","modelname":"AiFace","facesize":3000,"firmware":"1.2","other":1}"#
        )
        let registration = try #require(effects.registrations.first)
        #expect(registration.devinfoJSON == #"{"modelname":"AiFace","facesize":3000,"firmware":"1.2"}"#)
        #expect(effects.sentTexts.first?.contains(#""result":true"#) == true)
    }

    @Test func registrationWithoutDevinfoIsAccepted() throws {
        let effects = SessionHarness().receive(#"{"cmd":"reg","sn":"F1"}"#)
        #expect(try #require(effects.registrations.first).devinfoJSON == nil)
        #expect(effects.sentTexts.count == 1)
    }

    @Test func aSecondRegOnTheSameConnectionIsAnsweredAgain() {
        let harness = SessionHarness()
        harness.register("F1")
        harness.clock.advance(by: .seconds(60))
        let effects = harness.receive(#"{"cmd":"reg","sn":"F1"}"#)
        #expect(effects.registrations.count == 1)
        #expect(effects.sentTexts == [
            #"{"ret":"reg","result":true,"cloudtime":"2023-12-23 13:50:30","nosenduser":true}"#,
        ])
    }

    @Test func serialNumberGivenAsANumberIsAccepted() {
        let harness = SessionHarness()
        _ = harness.receive(#"{"cmd":"reg","sn":12345}"#)
        #expect(harness.session.serialNumber == "12345")
    }

    @Test(arguments: [#"{"cmd":"reg"}"#, #"{"cmd":"reg","sn":""}"#, #"{"cmd":"reg","sn":"  "}"#])
    func registrationWithoutSerialNumberIsRefused(message: String) {
        let harness = SessionHarness()
        let effects = harness.receive(message)
        #expect(effects == [.send(Array(#"{"ret":"reg","result":false,"reason":"No serial number"}"#.utf8))])
        #expect(harness.session.serialNumber == nil)
    }

    @Test func terminalNotOnTheAllowListIsRefused() {
        let harness = SessionHarness(allowList: TerminalAllowList(entries: ["OTHER": AllowedTerminal()]))
        let effects = harness.receive(vendorExample)
        #expect(effects.sentTexts == [#"{"ret":"reg","result":false,"reason":"Terminal not allowed"}"#])
        #expect(effects.registrations.isEmpty)
        #expect(harness.session.serialNumber == nil)
    }

    @Test func terminalFromAnotherAddressThanItsPinnedOneIsRefusedWithAWarning() {
        let pinned = TerminalAllowList(entries: ["ABCD12345678": AllowedTerminal(pinnedAddress: "10.0.0.9")])
        let harness = SessionHarness(allowList: pinned, peer: "10.0.0.5:41000")
        let effects = harness.receive(vendorExample)
        #expect(effects.sentTexts == [#"{"ret":"reg","result":false,"reason":"Address not allowed"}"#])
        #expect(effects.registrations.isEmpty)
        let warnings = harness.sink.entries(containing: "pinned", level: .warning)
        #expect(warnings.count == 1)
        #expect(warnings.first?.metadata["sn"] == "ABCD12345678")
        #expect(warnings.first?.metadata["pinned"] == "10.0.0.9")
    }

    @Test(arguments: [("10.0.0.5:9999", "10.0.0.5:41000"), ("10.0.0.5", "[::ffff:10.0.0.5]:41000"),
                      ("[fe80::1]:1", "[FE80::1]:41000")])
    func pinnedAddressIgnoresThePort(pinned: String, peer: String) {
        let allowList = TerminalAllowList(entries: ["F1": AllowedTerminal(pinnedAddress: pinned)])
        let harness = SessionHarness(allowList: allowList, peer: peer)
        let effects = harness.receive(#"{"cmd":"reg","sn":"F1"}"#)
        #expect(effects.registrations.count == 1)
        #expect(harness.session.serialNumber == "F1")
    }
}
