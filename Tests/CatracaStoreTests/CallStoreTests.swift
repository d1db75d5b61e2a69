import CatracaJSON
import Foundation
import Testing
@testable import CatracaStore

@Suite final class CallStoreTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    private static func answeredCall(sn: String = "T1") -> CallRow {
        let start = Date(timeIntervalSince1970: 1_703_350_000)
        return CallRow(kind: "intercom", sn: sn, sessionID: sn, inputMode: 3, inputNumber: "101",
                       rang: ["1001", "1002"], answeredBy: "1002", startedAt: start,
                       answeredAt: start.addingTimeInterval(4), endedAt: start.addingTimeInterval(64),
                       durationSeconds: 64, talkSeconds: 60, ending: "hung_up_by_phone")
    }

    @Test func aCallIsStoredWithItsOutboxEntryInOneCommit() throws {
        let store = try RecordStore(path: directory.databasePath)
        store.outboxPolicy = RecordOutboxPolicy(site: "north-gate")

        let results = try store.commit([.call(CallStoreTests.answeredCall())])

        guard case .call(let id) = results.first else { throw StoreTestFailure("no call id: \(results)") }
        let reader = try StoreReader(path: directory.databasePath)
        defer { reader.close() }
        let calls = try reader.calls()
        #expect(calls.map(\.id) == [id])
        #expect(calls.first?.rangJSON == "[\"1001\",\"1002\"]")
        #expect(calls.first?.answeredBy == "1002")
        #expect(calls.first?.talkSeconds == 60)
        let entry = try reader.outboxEntries(after: 0, limit: 10).first
        #expect(entry?.kind == "call")
        let payload = try JSONReader().parse(entry?.payload ?? "")
        #expect(payload["site"]?.string == "north-gate")
        #expect(payload["ending"]?.string == "hung_up_by_phone")
        #expect(payload["rang"]?.array?.count == 2)
        #expect(payload["id"]?.int64 == id)
    }

    @Test func callsAreListedNewestFirstAndByTerminal() throws {
        let store = try RecordStore(path: directory.databasePath)
        let calls = ["T1", "T2", "T1"].map { StoreWork.call(CallStoreTests.answeredCall(sn: $0)) }
        _ = try store.commit(calls)

        let reader = try StoreReader(path: directory.databasePath)
        defer { reader.close() }
        #expect(try reader.calls().map(\.sn) == ["T1", "T2", "T1"])
        #expect(try reader.calls(sn: "T1").count == 2)
        #expect(try reader.calls(limit: 1).count == 1)
    }
}
