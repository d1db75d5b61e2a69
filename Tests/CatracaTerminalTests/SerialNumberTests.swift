import CatracaCore
import CatracaJSON
import Testing
@testable import CatracaTerminal

/// Serial numbers reach logs, the store and listings, so only plausible ones are carried.
@Suite struct SerialNumberTests {
    @Test(arguments: ["ABCD12345678", "AYSD-1234_x.9", String(repeating: "A", count: 64)])
    func plausibleSerialNumbersAreAccepted(sn: String) {
        #expect(SerialNumber.isValid(sn))
    }

    @Test(arguments: ["", "AB CD", "NUL\u{0}X", "line\nbreak", "Ünïcode", String(repeating: "A", count: 65)])
    func othersAreNot(sn: String) {
        #expect(!SerialNumber.isValid(sn))
    }

    @Test func aRegistrationWithAHugeSerialNumberIsRefusedAndTheLogLineStaysShort() throws {
        let harness = SessionHarness()
        let huge = String(repeating: "Z", count: 100_000)

        let effects = harness.receive(#"{"cmd":"reg","sn":"\#(huge)"}"#)

        #expect(effects.registrations.isEmpty)
        let reply = try JSONReader().parse(try #require(effects.sentTexts.first))
        #expect(reply["result"] == false)
        #expect(reply["reason"]?.string == "Invalid serial number")
        let logged = try #require(harness.sink.entries(containing: "not a serial number").first)
        #expect((logged.metadata["sn"]?.utf8.count ?? 0) < 100)
    }

    @Test func aRecordNamingAnImplausibleSerialNumberIsQuarantinedUnderTheConnections() throws {
        let harness = SessionHarness()
        harness.register("GOOD1")

        let effects = harness.receive(#"""
            {"cmd":"sendlog","sn":"GOOD1","count":1,"logindex":1,
             "record":[{"enrollid":1,"time":"2024-07-01 00:00:00","sn":"BAD\u0000SN"}]}
            """#)

        let batch = try #require(effects.batches.first)
        #expect(batch.records.isEmpty)
        #expect(batch.quarantined.first?.sn == "GOOD1")
        #expect(batch.quarantined.first?.reason.hasPrefix("record sn is not a serial number") == true)
    }
}
