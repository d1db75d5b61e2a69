import CatracaTerminal
import Testing
@testable import CatracaStore

@Suite final class RecordPageTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
        let store = try RecordStore(path: directory.databasePath)
        let first = [Fixture.record(enrollid: 1, time: "2024-01-30 23:59:59"),
                     Fixture.record(enrollid: 2, time: "2024-01-31 08:00:00"),
                     Fixture.record(enrollid: 1, time: "2024-01-31 18:30:00")]
        let second = [Fixture.record(sn: "EFGH5678", enrollid: 1, time: "2024-02-01 00:00:00")]
        _ = try store.commit([.batch(Fixture.batch(records: first)),
                              .batch(Fixture.batch(id: 2, sn: "EFGH5678", records: second))])
    }

    private func reader() throws -> StoreReader { try StoreReader(path: directory.databasePath) }

    @Test func aCursorWalksEveryRecordOnceAndEndsWithNoNext() throws {
        let reader = try reader()
        var seen: [Int64] = []
        var after: Int64?
        var pages = 0

        repeat {
            let page = try reader.records(matching: RecordQuery(afterID: after, limit: 3))
            seen += page.records.map(\.id)
            after = page.next
            pages += 1
        } while after != nil

        #expect(pages == 2)
        #expect(seen.count == 4)
        #expect(seen == seen.sorted())
    }

    @Test func aFullLastPageStillEndsTheWalk() throws {
        let page = try reader().records(matching: RecordQuery(limit: 4))
        #expect(page.records.count == 4)
        #expect(page.next == nil)
    }

    @Test func toTakesTheWholeDayOfADatePrefixAndFromIsInclusive() throws {
        let reader = try reader()
        let day = try reader.records(matching: RecordQuery(from: "2024-01-31", to: "2024-01-31"))
        let morning = try reader.records(matching: RecordQuery(from: "2024-01-31T08:00:00", to: "2024-01-31 08:00"))

        #expect(day.records.map(\.identity.time) == ["2024-01-31 08:00:00", "2024-01-31 18:30:00"])
        #expect(morning.records.map(\.identity.time) == ["2024-01-31 08:00:00"])
    }

    @Test func enrollidAndSerialNumberFiltersCombine() throws {
        let reader = try reader()
        let person = try reader.records(matching: RecordQuery(enrollid: 1))
        let personHere = try reader.records(matching: RecordQuery(sn: "ABCD1234", enrollid: 1))

        #expect(person.records.count == 3)
        #expect(personHere.records.map(\.identity.time) == ["2024-01-30 23:59:59", "2024-01-31 18:30:00"])
    }

    @Test func badTimesAndLimitsAreRefusedWithTheValueNamed() throws {
        let reader = try reader()
        let time = try #require(throws: StoreError.self) { try reader.records(matching: RecordQuery(to: "January")) }
        let limit = try #require(throws: StoreError.self) { try reader.records(matching: RecordQuery(limit: 0)) }

        #expect(time.description.contains("to \"January\""))
        #expect(limit.description.contains("limit 0"))
    }

    @Test func countsSayHowManyRecordsAndQuarantinedEntriesAreHeld() throws {
        #expect(try reader().counts() == StoreCounts(records: 4, quarantined: 0))
    }
}
