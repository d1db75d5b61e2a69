import CatracaCore
import CatracaJSON
import Testing
@testable import CatracaTerminal

/// A `sendlog` whose JSON is broken is kept in quarantine and acknowledged, or its terminal would send
/// it forever.
@Suite struct MalformedSendlogTests {
    private let withNaN = #"""
        {"cmd":"sendlog","sn":"ABCD12345678","count":2,"logindex":10,"record":[
         {"enrollid":1,"time":"2023-12-23 13:49:30","temp":nan},
         {"enrollid":2,"time":"2023-12-23 13:49:31","temp":36.5}]}
        """#

    @Test func aSendlogWithANaNTemperatureIsQuarantinedWholeAndAcknowledged() throws {
        let harness = SessionHarness()
        harness.register()

        let effects = harness.receive(withNaN)

        let batch = try #require(effects.batches.first)
        #expect(batch.records.isEmpty)
        #expect(batch.quarantined.count == 1)
        #expect(batch.quarantined.first?.raw == withNaN)
        #expect(batch.quarantined.first?.reason.hasPrefix("sendlog is not valid JSON") == true)
        #expect(effects.sentTexts.isEmpty, "the acknowledgement waits for the quarantine to be stored")

        let acknowledged = harness.session.batchStored(id: batch.id, outcome: BatchOutcome(inserted: 0, duplicates: 0,
                                                                                           quarantined: 1))
        let ack = try JSONReader().parse(try #require(acknowledged.sentTexts.first))
        #expect(ack["result"] == true)
        #expect(ack["count"]?.int == 2)
        #expect(ack["logindex"]?.int == 10)
    }

    @Test func countAndLogindexSentAsStringsAreEchoedAsSent() throws {
        let harness = SessionHarness()
        harness.register()
        let effects = harness.receive(#"{"cmd": "sendlog", "count" : "3", "logindex":"7", "record":[{,]}"#)

        let batch = try #require(effects.batches.first)
        let acknowledged = harness.session.batchStored(id: batch.id, outcome: BatchOutcome(inserted: 0, duplicates: 0,
                                                                                           quarantined: 1))
        #expect(acknowledged.sentTexts.first?.contains(#""count":"3","logindex":"7""#) == true)
        #expect(batch.sn == "ABCD12345678", "the connection's serial number when the message has none readable")
    }

    @Test func otherBrokenMessagesAreStillIgnored() {
        let harness = SessionHarness()
        harness.register()
        #expect(harness.receive(#"{"cmd":"reg","sn":"X",devinfo:}"#).isEmpty)
        #expect(harness.receive("not json at all").isEmpty)
        #expect(harness.receive(#"{"ret":"sendlog",,}"#).isEmpty)
    }

    @Test func aBrokenSendlogWithoutAnySerialNumberIsIgnored() {
        let harness = SessionHarness()
        #expect(harness.receive(#"{"cmd":"sendlog","count":1,"record":[nan]}"#).isEmpty)
    }

    @Test func aBrokenSendlogFromASerialNumberNotAllowedIsRefused() throws {
        let harness = SessionHarness(allowList: TerminalAllowList(entries: ["OK1": AllowedTerminal()]))
        let effects = harness.receive(#"{"cmd":"sendlog","sn":"BAD9","count":1,"logindex":1,"record":[nan]}"#)

        #expect(effects.batches.isEmpty)
        let reply = try JSONReader().parse(try #require(effects.sentTexts.first))
        #expect(reply["result"] == false)
    }
}
