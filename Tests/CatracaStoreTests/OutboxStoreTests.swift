import CatracaJSON
import CatracaTerminal
import Foundation
import Testing
@testable import CatracaStore

@Suite final class OutboxStoreTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    private func reader() throws -> StoreReader { try StoreReader(path: directory.databasePath) }

    @Test func aNewRecordPutsOneEntryInTheOutboxAndItsResendNone() throws {
        let store = try RecordStore(path: directory.databasePath)
        store.outboxPolicy = RecordOutboxPolicy(site: "north-gate")
        let batch = Fixture.batch(records: [Fixture.record(enrollid: 7, name: "Ana", extraJSON: "{\"door\":2}")])

        _ = try store.commit([.batch(batch)])
        _ = try store.commit([.batch(batch)])

        let entries = try reader().outboxEntries(after: 0, limit: 10)
        #expect(entries.count == 1)
        #expect(entries.first?.kind == "record")
        #expect(entries.first?.sn == "ABCD1234")
        let payload = try JSONReader().parse(entries.first?.payload ?? "")
        #expect(payload["version"]?.int == 1)
        #expect(payload["site"]?.string == "north-gate")
        #expect(payload["enrollid"]?.int == 7)
        #expect(payload["name"]?.string == "Ana")
        #expect(payload["extra"]?["door"]?.int == 2)
        #expect(payload["photo"] == nil)
    }

    @Test func photosGoInThePayloadOnlyWhenTheSiteSaysSo() throws {
        let store = try RecordStore(path: directory.databasePath)
        let photo = Fixture.photo(size: 3)
        _ = try store.commit([.batch(Fixture.batch(records: [Fixture.record(enrollid: 1, photo: photo)]))])
        store.outboxPolicy.includePhotos = true
        _ = try store.commit([.batch(Fixture.batch(records: [Fixture.record(enrollid: 2, photo: photo)]))])

        let payloads = try reader().outboxEntries(after: 0, limit: 10).map { try JSONReader().parse($0.payload) }
        #expect(payloads[0]["photo"] == nil)
        #expect(payloads[1]["photo"]?["base64"]?.string == Data(photo.bytes).base64EncodedString())
    }

    @Test func aCommitThatFailsAtTheOutboxLeavesNeitherTheRecordNorItsEntry() throws {
        let store = try RecordStore(path: directory.databasePath)
        try store.database.execute(
            """
            CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox WHEN NEW.sn = 'FAIL0001'
            BEGIN SELECT RAISE(ABORT, 'outbox refused for the test'); END;
            """, operation: "install a failing trigger")
        let good = Fixture.batch(records: [Fixture.record(enrollid: 1)])
        let failing = Fixture.batch(sn: "FAIL0001", records: [Fixture.record(sn: "FAIL0001", enrollid: 2)])

        #expect(throws: StoreError.self) { try store.commit([.batch(good), .batch(failing)]) }

        let reader = try reader()
        #expect(try reader.records().all().isEmpty)
        #expect(try reader.outboxEntries(after: 0, limit: 10).isEmpty)
    }

    @Test func anotherStoreAddsEntriesInsideItsOwnTransaction() throws {
        let store = try RecordStore(path: directory.databasePath)
        #expect(throws: StoreError.self) {
            try store.database.transaction(operation: "store a passage") {
                try store.enqueueOutbox(kind: "passage", sn: nil, payload: "{\"version\":1}", createdAt: Date())
                try store.database.execute("SELECT * FROM no_such_table", operation: "fail on purpose")
            }
        }
        let id = try store.database.transaction(operation: "store a passage") {
            try store.enqueueOutbox(kind: "passage", sn: "T1", payload: "{\"version\":1}", createdAt: Date())
        }

        let entries = try reader().outboxEntries(after: 0, limit: 10)
        #expect(entries.map(\.id) == [id])
        #expect(entries.first?.kind == "passage")
    }

    @Test func aVersionTwoDatabaseMigratesWithoutBackFillingItsRecords() throws {
        let database = try Database(path: directory.databasePath)
        try database.execute(Schema.migrations[0], operation: "version 1")
        try database.execute(Schema.migrations[1], operation: "version 2")
        try database.execute(
            """
            INSERT INTO records (sn, enrollid, time, mode, inout, event, received_at)
            VALUES ('OLD00001', 1, '2023-01-01 00:00:00', 8, 0, 0, '2023-01-01T03:00:00.000Z');
            PRAGMA user_version = 2;
            """, operation: "store an old record")
        database.close()

        let store = try RecordStore(path: directory.databasePath)
        _ = try store.commit([.batch(Fixture.batch(records: [Fixture.record(enrollid: 9)]))])

        #expect(try Schema.version(of: store.database) == Schema.currentVersion)
        let entries = try reader().outboxEntries(after: 0, limit: 10)
        #expect(entries.count == 1)
        #expect(try JSONReader().parse(entries[0].payload)["enrollid"]?.int == 9)
    }

    @Test func deliveryMovesATransportOnAndParkingKeepsTheBatchForAnOperator() throws {
        let store = try RecordStore(path: directory.databasePath)
        _ = try store.commit([.batch(Fixture.batch(records: Fixture.records(count: 6)))])
        let now = Date()

        try store.apply(.sending(transport: "http", first: 1, last: 2))
        #expect(try reader().outboxPosition(transport: "http") == OutboxPosition(deliveredThrough: 0, sending: 1...2))
        try store.apply(.delivered(transport: "http", first: 1, last: 2, entries: 2, at: now, resent: false))
        try store.apply(.parked(transport: "http", first: 3, last: 4, entries: 2, reason: "HTTP 400: bad", at: now,
                                resent: false))

        let reader = try reader()
        #expect(try reader.outboxPosition(transport: "http") == OutboxPosition(deliveredThrough: 4))
        // Entries 5 and 6 wait, and the parked 3 and 4 never reached upstream either.
        #expect(try reader.outboxBacklog(transports: ["http"]).entries == 4)
        #expect(try reader.outboxBacklog(transports: ["http"]).parkedEntries == 2)
        #expect(try reader.outboxBacklog(transports: ["http", "mqtt"]).entries == 6)
        #expect(try reader.outboxFigures(transport: "http") == OutboxTransportFigures(name: "http", delivered: 2,
                                                                                        parked: 1))
        let parked = try reader.outboxParkedBatches()
        #expect(parked.map(\.key) == ["http-3-4"])
        #expect(parked.first?.reason == "HTTP 400: bad")
    }

    @Test func parkedAndRequeuedEntriesCountInTheBacklogAndItsOldestEntry() throws {
        let store = try RecordStore(path: directory.databasePath)
        _ = try store.commit([.batch(Fixture.batch(records: Fixture.records(count: 5)))])
        try store.apply(.parked(transport: "http", first: 1, last: 2, entries: 2, reason: "HTTP 422", at: Date(),
                                resent: false))
        try store.apply(.delivered(transport: "http", first: 3, last: 5, entries: 3, at: Date(), resent: false))

        let parked = try reader().outboxBacklog(transports: ["http"])
        let first = try reader().outboxEntries(after: 0, limit: 1).first?.createdAt
        #expect(parked == OutboxBacklog(entries: 2, oldestCreatedAt: first, parkedEntries: 2))

        #expect(try store.apply(.requeueParked(transport: nil)) == 1)
        #expect(try reader().outboxBacklog(transports: ["http"]).entries == 2)

        try store.apply(.delivered(transport: "http", first: 1, last: 2, entries: 2, at: Date(), resent: true))
        #expect(try reader().outboxBacklog(transports: ["http"]) == OutboxBacklog(entries: 0, oldestCreatedAt: nil))
    }

    @Test func aRequeuedParkedBatchDeliveredOnRetryIsNoLongerParked() throws {
        let store = try RecordStore(path: directory.databasePath)
        _ = try store.commit([.batch(Fixture.batch(records: Fixture.records(count: 4)))])
        try store.apply(.parked(transport: "http", first: 1, last: 2, entries: 2, reason: "HTTP 422", at: Date(),
                                resent: false))

        #expect(try store.apply(.requeueParked(transport: nil)) == 1)
        #expect(try reader().outboxParkedBatches(requeuedOnly: true).count == 1)
        try store.apply(.delivered(transport: "http", first: 1, last: 2, entries: 2, at: Date(), resent: true))

        #expect(try reader().outboxParkedBatches().isEmpty)
        #expect(try reader().outboxPosition(transport: "http").deliveredThrough == 2)
    }

    @Test func pruningDeletesOnlyWhatEveryTransportDeliveredLongAgoAndNeverAParkedEntry() throws {
        let store = try RecordStore(path: directory.databasePath)
        _ = try store.commit([.batch(Fixture.batch(records: Fixture.records(count: 8)))])
        let old = Date(timeIntervalSinceNow: -40 * 86_400)
        let cutoff = Date(timeIntervalSinceNow: -30 * 86_400)
        try store.apply(.delivered(transport: "http", first: 1, last: 2, entries: 2, at: old, resent: false))
        try store.apply(.parked(transport: "http", first: 3, last: 3, entries: 1, reason: "HTTP 400", at: old,
                                resent: false))
        try store.apply(.delivered(transport: "http", first: 4, last: 5, entries: 2, at: old, resent: false))
        try store.apply(.delivered(transport: "http", first: 6, last: 6, entries: 1, at: Date(), resent: false))
        try store.apply(.delivered(transport: "mqtt", first: 1, last: 4, entries: 4, at: old, resent: false))

        let deleted = try store.apply(.prune(before: cutoff, transports: ["http", "mqtt"], limit: 100))

        #expect(deleted == 3)
        #expect(try reader().outboxEntries(after: 0, limit: 10).map(\.id) == [3, 5, 6, 7, 8])
        #expect(try reader().outboxPosition(transport: "http").deliveredThrough == 6)
    }

    @Test func withoutTransportsNothingIsPruned() throws {
        let store = try RecordStore(path: directory.databasePath)
        _ = try store.commit([.batch(Fixture.batch(records: Fixture.records(count: 2)))])
        #expect(try store.apply(.prune(before: Date(), transports: [], limit: 100)) == 0)
        #expect(try reader().outboxBacklog(transports: []).entries == 2)
    }
}
