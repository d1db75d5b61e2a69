import CatracaCore
import Testing
@testable import CatracaTerminal

/// With an allow-list, a terminal speaks only for serial numbers the list lets it use from its address,
/// also inside the records of its `sendlog`.
@Suite struct ForeignRecordTests {
    private let allowList = TerminalAllowList(entries: [
        "LISTED1": AllowedTerminal(), "PINNED1": AllowedTerminal(pinnedAddress: "10.9.9.9"),
    ])

    @Test func recordsNamingAnUnlistedOrPinnedSerialNumberAreQuarantinedNotStoredUnderIt() throws {
        let harness = SessionHarness(allowList: allowList, peer: "10.0.0.5")
        harness.register("LISTED1")

        let effects = harness.receive(#"""
            {"cmd":"sendlog","sn":"LISTED1","count":3,"logindex":1,"record":[
             {"enrollid":1,"time":"2024-07-01 00:00:00","sn":"PINNED1"},
             {"enrollid":2,"time":"2024-07-01 00:00:00","sn":"STRANGER1"},
             {"enrollid":3,"time":"2024-07-01 00:00:00","sn":"LISTED1"}]}
            """#)

        let batch = try #require(effects.batches.first)
        #expect(batch.records.map(\.identity.sn) == ["LISTED1"])
        #expect(batch.quarantined.count == 2)
        #expect(batch.quarantined.allSatisfy {
            $0.sn == "LISTED1" && $0.reason.contains("is not allowed from 10.0.0.5")
        })
        #expect(harness.sink.entries(containing: "may not speak for", level: .warning).count == 2)
    }

    @Test func withoutAnAllowListARecordKeepsItsOwnSerialNumber() throws {
        let harness = SessionHarness()
        harness.register("A1")

        let effects = harness.receive(#"""
            {"cmd":"sendlog","sn":"A1","count":1,"logindex":1,
             "record":[{"enrollid":1,"time":"2024-07-01 00:00:00","sn":"B2"}]}
            """#)

        let batch = try #require(effects.batches.first)
        #expect(batch.records.map(\.identity.sn) == ["B2"])
        #expect(batch.quarantined.isEmpty)
    }
}
