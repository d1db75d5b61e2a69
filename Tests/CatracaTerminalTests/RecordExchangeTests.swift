import CatracaCore
import Foundation
import Testing
@testable import CatracaTerminal

@Suite struct RecordExchangeTests {
    private let vendorExample = #"""
        {"cmd":"sendlog","sn":"ABCD12345678","count":2,"logindex":10,
         "record":[
          {"enrollid":1,"time":"2023-12-23 13:49:30","mode":0,"inout":0,"event":0,
           "temp":36.5,"verifymode":13,"image":"/9j/4AAQ"},
          {"enrollid":1,"time":"2023-12-23 13:51:40","mode":0,"inout":1,"event":0,
           "temp":36.5,"verifymode":13,"image":"/9j/4AAQ"}]}
        """#

    private let vendorAck = #"{"ret":"sendlog","result":true,"count":2,"logindex":10,"#
        + #""cloudtime":"2023-12-23 13:49:30","access":1,"message":"Welcome"}"#

    @Test func theVendorExampleIsStoredThenAcknowledged() throws {
        let harness = SessionHarness(ackMessage: "Welcome")
        harness.register()
        let effects = harness.receive(vendorExample)

        #expect(effects.sentTexts.isEmpty)
        let batch = try #require(effects.batches.first)
        #expect(batch.sn == "ABCD12345678")
        #expect(batch.receivedAt == SessionHarness.registeredAt)
        #expect(batch.quarantined.isEmpty)
        #expect(batch.records.map(\.identity) == [
            RecordIdentity(sn: "ABCD12345678", enrollid: 1, time: "2023-12-23 13:49:30", mode: 0, inOut: 0, event: 0),
            RecordIdentity(sn: "ABCD12345678", enrollid: 1, time: "2023-12-23 13:51:40", mode: 0, inOut: 1, event: 0),
        ])
        #expect(batch.records.first?.temperature == 36.5)
        #expect(batch.records.first?.verifyMode == 13)
        let jpegStart: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]
        #expect(batch.records.first?.photo == Photo(mediaType: "image/jpeg", bytes: jpegStart))
        #expect(batch.records.first?.extraJSON == nil)

        let outcome = BatchOutcome(inserted: 2, duplicates: 0, quarantined: 0)
        let ack = harness.session.batchStored(id: batch.id, outcome: outcome)
        #expect(ack.sentTexts == [vendorAck])
    }

    @Test func numbersAsStringsAreReadAndCountAndLogindexEchoedAsSent() throws {
        let harness = SessionHarness()
        harness.register()
        let effects = harness.receive(#"""
            {"cmd":"sendlog","sn":"ABCD12345678","count":"1","logindex":" 10 ",
             "record":[{"enrollid":"12","time":"2023-12-23 13:49:30","mode":" 8 ","inout":"1","event":"0",
                        "temp":"36.5","verifymode":"13"}]}
            """#)
        let batch = try #require(effects.batches.first)
        let record = try #require(batch.records.first)
        #expect(record.identity == RecordIdentity(sn: "ABCD12345678", enrollid: 12, time: "2023-12-23 13:49:30",
                                                  mode: 8, inOut: 1, event: 0))
        #expect(record.temperature == 36.5)
        #expect(record.verifyMode == 13)

        let ack = harness.session.batchStored(id: batch.id, outcome: storedOutcome)
        let echoed = #"{"ret":"sendlog","result":true,"count":"1","logindex":" 10 ","#
        #expect(ack.sentTexts.first?.hasPrefix(echoed) == true)
    }

    @Test func trailingCommaInRecordsIsAccepted() throws {
        let harness = SessionHarness()
        harness.register()
        let effects = harness.receive(
            #"{"cmd":"sendlog","count":1,"logindex":3,"record":[{"enrollid":5,"time":"2024-01-02 03:04:05",},]}"#
        )
        #expect(try #require(effects.batches.first).records.map(\.identity.enrollid) == [5])
    }

    @Test func missingCountIsTheNumberOfRecordsAndMissingLogindexIsLeftOut() throws {
        let harness = SessionHarness()
        harness.register()
        let effects = harness.receive(#"{"cmd":"sendlog","record":[{"enrollid":5,"time":"2024-01-02 03:04:05"}]}"#)
        let ack = harness.session.batchStored(id: try #require(effects.batches.first).id, outcome: storedOutcome)
        #expect(ack.sentTexts == [
            #"{"ret":"sendlog","result":true,"count":1,"cloudtime":"2023-12-23 13:49:30","access":1,"message":""}"#,
        ])
    }

    @Test func acknowledgementsFollowTheOrderTheBatchesCameIn() throws {
        let harness = SessionHarness()
        harness.register()
        let ids = try (1...3).map { index in
            let effects = harness.receive(
                #"{"cmd":"sendlog","count":1,"logindex":\#(index),"#
                    + #""record":[{"enrollid":1,"time":"2024-01-02 03:04:0\#(index)"}]}"#
            )
            return try #require(effects.batches.first).id
        }
        #expect(Set(ids).count == 3)

        #expect(harness.session.batchStored(id: ids[2], outcome: storedOutcome).isEmpty)
        let first = harness.session.batchStored(id: ids[0], outcome: storedOutcome).sentTexts
        #expect(first.count == 1 && first[0].contains(#""logindex":1,"#))
        let rest = harness.session.batchStored(id: ids[1], outcome: storedOutcome).sentTexts
        #expect(rest.count == 2 && rest[0].contains(#""logindex":2,"#) && rest[1].contains(#""logindex":3,"#))
    }

    @Test func aFailedBatchIsNeverAcknowledgedNorAreThoseWaitingBehindIt() throws {
        let harness = SessionHarness()
        harness.register()
        let record = #"[{"enrollid":1,"time":"2024-01-02 03:04:05"}]"#
        let first = try #require(harness.receive(#"{"cmd":"sendlog","logindex":1,"record":\#(record)}"#).batches.first)
        let second = try #require(harness.receive(#"{"cmd":"sendlog","logindex":2,"record":\#(record)}"#).batches.first)

        #expect(harness.session.batchStored(id: second.id, outcome: storedOutcome).isEmpty)
        #expect(harness.session.batchFailed(id: first.id, error: StoreFailure()).isEmpty)
        #expect(harness.sink.entries(containing: "withheld").count == 1)

        let third = try #require(harness.receive(#"{"cmd":"sendlog","logindex":3,"record":\#(record)}"#).batches.first)
        let ack = harness.session.batchStored(id: third.id, outcome: storedOutcome).sentTexts
        #expect(ack.count == 1 && ack[0].contains(#""logindex":3,"#))
    }

    @Test func aBatchFailingAloneSendsNothing() throws {
        let harness = SessionHarness()
        harness.register()
        let batch = try #require(harness.receive(vendorExample).batches.first)
        #expect(harness.session.batchFailed(id: batch.id, error: StoreFailure()).isEmpty)
        #expect(harness.session.batchStored(id: batch.id, outcome: storedOutcome).isEmpty)
    }

    @Test func unknownBatchIdsAreIgnored() {
        let harness = SessionHarness()
        #expect(harness.session.batchStored(id: 99, outcome: storedOutcome).isEmpty)
        #expect(harness.session.batchFailed(id: 99, error: StoreFailure()).isEmpty)
    }

    @Test func anEmptyRecordArrayIsAcknowledgedWithoutStoring() {
        let harness = SessionHarness()
        harness.register()
        let effects = harness.receive(#"{"cmd":"sendlog","count":0,"logindex":7,"record":[]}"#)
        #expect(effects.batches.isEmpty)
        #expect(effects.sentTexts == [
            #"{"ret":"sendlog","result":true,"count":0,"logindex":7,"#
                + #""cloudtime":"2023-12-23 13:49:30","access":1,"message":""}"#,
        ])
    }

    @Test func anEmptyRecordArrayWaitsForTheBatchesBeforeIt() throws {
        let harness = SessionHarness()
        harness.register()
        let batch = try #require(harness.receive(vendorExample).batches.first)
        #expect(harness.receive(#"{"cmd":"sendlog","count":0,"logindex":11,"record":[]}"#).isEmpty)
        let acks = harness.session.batchStored(id: batch.id, outcome: storedOutcome).sentTexts
        #expect(acks.count == 2 && acks[0].contains(#""logindex":10,"#) && acks[1].contains(#""logindex":11,"#))
    }

    @Test(arguments: [(#"{"cmd":"sendlog","sn":"F1","count":1}"#, "sendlog has no record"),
                      (#"{"cmd":"sendlog","sn":"F1","record":{"enrollid":1}}"#, "sendlog record is not an array")])
    func aMessageWithoutARecordArrayIsQuarantinedWholeAndAcknowledged(message: String, reason: String) throws {
        let harness = SessionHarness()
        harness.register("F1")
        let batch = try #require(harness.receive(message).batches.first)
        #expect(batch.records.isEmpty)
        #expect(batch.quarantined == [QuarantinedRecord(sn: "F1", raw: message, reason: reason)])
        #expect(harness.session.batchStored(id: batch.id, outcome: storedOutcome).sentTexts.count == 1)
    }

    @Test func recordsBeforeRegistrationAreAcceptedAndClaimTheSerialNumber() throws {
        let harness = SessionHarness()
        let effects = harness.receive(vendorExample)
        #expect(effects.registrations == [
            TerminalRegistration(sn: "ABCD12345678", devinfoJSON: nil, address: "10.0.0.5:41000",
                                 seenAt: SessionHarness.registeredAt),
        ])
        #expect(effects.batches.count == 1)
        #expect(harness.session.serialNumber == "ABCD12345678")
    }

    @Test func recordsBeforeRegistrationMayNameTheTerminalOnlyInTheRecords() throws {
        let harness = SessionHarness(allowList: TerminalAllowList(entries: ["F7": AllowedTerminal()]))
        let message = #"{"cmd":"sendlog","record":[{"sn":"F7","enrollid":1,"time":"2024-01-02 03:04:05"}]}"#
        let effects = harness.receive(message)
        #expect(try #require(effects.batches.first).sn == "F7")
        #expect(harness.session.serialNumber == "F7")
    }

    @Test func recordsBeforeRegistrationFromAnUnlistedTerminalAreRefused() {
        let harness = SessionHarness(allowList: TerminalAllowList(entries: ["OTHER": AllowedTerminal()]))
        let effects = harness.receive(vendorExample)
        #expect(effects == [.send(Array(#"{"ret":"sendlog","result":false,"reason":"Terminal not allowed"}"#.utf8))])
        #expect(harness.session.serialNumber == nil)
    }

    @Test func recordsWithoutAnySerialNumberAreRefused() {
        let message = #"{"cmd":"sendlog","record":[{"enrollid":1,"time":"2024-01-02 03:04:05"}]}"#
        let effects = SessionHarness().receive(message)
        #expect(effects.sentTexts == [#"{"ret":"sendlog","result":false,"reason":"No serial number"}"#])
    }

    @Test func aMessageNamingAnotherSerialNumberKeepsItsRecordsUnderItAndWarnsOnce() throws {
        let harness = SessionHarness()
        harness.register("F1")
        let message = #"{"cmd":"sendlog","sn":"F2","record":[{"enrollid":1,"time":"2024-01-02 03:04:05"}]}"#
        let first = try #require(harness.receive(message).batches.first)
        let second = try #require(harness.receive(message).batches.first)

        #expect(first.sn == "F2" && first.records.first?.identity.sn == "F2")
        #expect(second.sn == "F2")
        #expect(harness.session.serialNumber == "F1")
        #expect(harness.sink.entries.filter { $0.level == .warning }.count == 1)
    }

    @Test func debugLinesCarryTheSerialNumberCountAndLogindex() throws {
        let harness = SessionHarness()
        harness.register()
        _ = harness.receive(vendorExample)
        let line = try #require(harness.sink.entries(containing: "records received", level: .debug).first)
        #expect(line.metadata["sn"] == "ABCD12345678")
        #expect(line.metadata["count"] == "2")
        #expect(line.metadata["logindex"] == "10")
    }
}
