import CatracaCore
import CatracaTerminal
import CSQLite
import Foundation
import Testing
@testable import CatracaStore

@Suite final class RecordStoreTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    @Test func newRecordsAreInsertedAndAResentBatchCountsAsDuplicates() throws {
        let store = try RecordStore(path: directory.databasePath)
        let batch = Fixture.batch(records: Fixture.records(count: 20))

        let first = try store.commit([.batch(batch)])
        let second = try store.commit([.batch(batch)])

        #expect(first == [.batch(BatchOutcome(inserted: 20, duplicates: 0, quarantined: 0))])
        #expect(second == [.batch(BatchOutcome(inserted: 0, duplicates: 20, quarantined: 0))])
        #expect(try StoreReader(path: directory.databasePath).records().all().count == 20)
    }

    @Test func duplicatesInsideOneBatchAreStoredOnce() throws {
        let store = try RecordStore(path: directory.databasePath)
        let records = Fixture.records(count: 3)
        let batch = Fixture.batch(records: records + [records[1], records[2], records[1]])

        let outcome = try store.commit([.batch(batch)])

        #expect(outcome == [.batch(BatchOutcome(inserted: 3, duplicates: 3, quarantined: 0))])
        let stored = try StoreReader(path: directory.databasePath).records().all()
        #expect(stored.map(\.identity) == records.map(\.identity))
    }

    @Test func recordsDifferingOnlyInEventAreDistinct() throws {
        let store = try RecordStore(path: directory.databasePath)
        let batch = Fixture.batch(records: [Fixture.record(event: 0), Fixture.record(event: 1)])

        #expect(try store.commit([.batch(batch)]) == [.batch(BatchOutcome(inserted: 2, duplicates: 0, quarantined: 0))])
    }

    @Test func aPhotoIsStoredOnceAndPrunedAfterItsRetention() throws {
        let clock = ManualTimeSource(wallClock: Date(timeIntervalSince1970: 1_703_350_000))
        let store = try RecordStore(path: directory.databasePath, clock: clock)
        let photo = Fixture.photo(size: 3_000)
        let withPhoto = Fixture.batch(records: [Fixture.record(photo: photo)])

        _ = try store.commit([.batch(withPhoto)])
        _ = try store.commit([.batch(withPhoto)])
        clock.advance(by: .seconds(3_600))
        _ = try store.commit([.batch(Fixture.batch(records: [Fixture.record(enrollid: 8, photo: photo)]))])

        let reader = try StoreReader(path: directory.databasePath)
        #expect(try count("photos") == 2)
        let records = try reader.records().all()
        #expect(try reader.photo(recordID: records[0].id) == photo)

        let deleted = try store.prunePhotos(olderThan: clock.wallClock.addingTimeInterval(-60), chunkSize: 1)

        #expect(deleted == 1)
        #expect(try count("photos") == 1)
        #expect(try reader.photo(recordID: records[0].id) == nil)
        #expect(try reader.records().all().map(\.hasPhoto) == [false, true])
    }

    @Test func quarantinedRecordsAreKeptWithTheirReason() throws {
        let store = try RecordStore(path: directory.databasePath)
        let bad = [QuarantinedRecord(sn: "ABCD1234", raw: #"{"time":"x"}"#, reason: "enrollid is missing"),
                   QuarantinedRecord(sn: nil, raw: "[]", reason: "a record is not an object")]

        let outcome = try store.commit([.batch(Fixture.batch(records: [Fixture.record()], quarantined: bad))])

        #expect(outcome == [.batch(BatchOutcome(inserted: 1, duplicates: 0, quarantined: 2))])
        let kept = try StoreReader(path: directory.databasePath).quarantine()
        #expect(kept.map(\.reason) == ["enrollid is missing", "a record is not an object"])
        #expect(kept.map(\.sn) == ["ABCD1234", nil])
        #expect(kept.map(\.raw) == [#"{"time":"x"}"#, "[]"])
        #expect(kept.allSatisfy { $0.receivedAt == "2023-12-23T16:49:30.250Z" })
    }

    @Test func aTerminalUpsertKeepsFirstSeenAndAStoredDevinfo() throws {
        let store = try RecordStore(path: directory.databasePath)
        let first = TerminalRegistration(sn: "ABCD1234", devinfoJSON: #"{"fpnum":5}"#, address: "10.0.0.5:4000",
                                         seenAt: Date(timeIntervalSince1970: 1_703_350_170))
        let later = TerminalRegistration(sn: "ABCD1234", devinfoJSON: nil, address: "10.0.0.6:4001",
                                         seenAt: Date(timeIntervalSince1970: 1_703_353_770))

        #expect(try store.commit([.registration(first)]) == [.registration])
        _ = try store.commit([.registration(later)])

        let terminals = try StoreReader(path: directory.databasePath).terminals()
        #expect(terminals == [StoredTerminal(sn: "ABCD1234", devinfoJSON: #"{"fpnum":5}"#, address: "10.0.0.6:4001",
                                             firstSeen: "2023-12-23T16:49:30.000Z",
                                             lastSeen: "2023-12-23T17:49:30.000Z")])
    }

    @Test func storedRecordsMoveATerminalsLastSeenForward() throws {
        let store = try RecordStore(path: directory.databasePath)
        let registered = TerminalRegistration(sn: "ABCD1234", devinfoJSON: nil, address: "10.0.0.5",
                                              seenAt: Date(timeIntervalSince1970: 1_703_300_000))
        _ = try store.commit([.registration(registered)])

        _ = try store.commit([.batch(Fixture.batch(records: [Fixture.record()]))])

        let terminal = try #require(try StoreReader(path: directory.databasePath).terminals().first)
        #expect(terminal.lastSeen == "2023-12-23T16:49:30.250Z")
        #expect(terminal.firstSeen < terminal.lastSeen)
    }

    @Test func seenNotesMoveLastSeenForwardOnlyAndKeepTheAddress() throws {
        let store = try RecordStore(path: directory.databasePath)
        let registered = TerminalRegistration(sn: "AB1", devinfoJSON: "{}", address: "10.0.0.5",
                                              seenAt: Date(timeIntervalSince1970: 1_703_300_000))
        _ = try store.commit([.registration(registered)])

        let results = try store.commit([.seen(sn: "AB1", at: Date(timeIntervalSince1970: 1_703_400_000)),
                                        .seen(sn: "AB1", at: Date(timeIntervalSince1970: 1_703_350_000)),
                                        .seen(sn: "UNKNOWN", at: Date(timeIntervalSince1970: 1_703_400_000))])

        #expect(results == [.seen, .seen, .seen])
        let terminals = try StoreReader(path: directory.databasePath).terminals()
        #expect(terminals.map(\.sn) == ["AB1"], "a note for an unknown terminal adds no row")
        #expect(terminals.first?.lastSeen == StoreTimestamp.format(Date(timeIntervalSince1970: 1_703_400_000)))
        #expect(terminals.first?.address == "10.0.0.5")
    }

    @Test func aNewDevinfoReplacesTheStoredOne() throws {
        let store = try RecordStore(path: directory.databasePath)
        let seenAt = Date(timeIntervalSince1970: 1_703_350_170)
        _ = try store.commit([.registration(TerminalRegistration(sn: "A", devinfoJSON: "{\"v\":1}", address: "h:1",
                                                                 seenAt: seenAt))])
        _ = try store.commit([.registration(TerminalRegistration(sn: "A", devinfoJSON: "{\"v\":2}", address: "h:1",
                                                                 seenAt: seenAt))])

        #expect(try StoreReader(path: directory.databasePath).terminals().map(\.devinfoJSON) == ["{\"v\":2}"])
    }

    @Test func anEmptyFileIsMigratedToTheCurrentSchema() throws {
        #expect(FileManager.default.createFile(atPath: directory.databasePath, contents: Data()))

        let store = try RecordStore(path: directory.databasePath)

        #expect(try Schema.version(of: store.database) == Schema.currentVersion)
        #expect(try pragma("journal_mode") == "wal")
        #expect(try pragma("synchronous", on: store.database) == "2")
        // Opening again finds nothing to migrate and keeps the data.
        _ = try store.commit([.batch(Fixture.batch(records: [Fixture.record()]))])
        store.close()
        let reopened = try RecordStore(path: directory.databasePath)
        #expect(try Schema.version(of: reopened.database) == Schema.currentVersion)
        #expect(try count("records") == 1)
    }

    @Test func aSecondWriterOnTheSameDatabaseIsRefusedUntilTheFirstCloses() throws {
        let first = try RecordStore(path: directory.databasePath)

        let error = try #require(throws: StoreError.self) { try RecordStore(path: self.directory.databasePath) }
        #expect(error.kind == .inUseByAnotherWriter)
        #expect("\(error)".contains("another Catraca daemon is writing this database"))

        first.close()
        _ = try RecordStore(path: directory.databasePath)
    }

    @Test func aSecondWriterThroughAHardOrSymbolicLinkIsRefusedToo() throws {
        let first = try RecordStore(path: directory.databasePath)
        defer { first.close() }
        let hardLink = directory.path + "/hard.db"
        let symbolicLink = directory.path + "/symbolic.db"
        try FileManager.default.linkItem(atPath: directory.databasePath, toPath: hardLink)
        try FileManager.default.createSymbolicLink(atPath: symbolicLink, withDestinationPath: directory.databasePath)

        for path in [hardLink, symbolicLink] {
            let error = try #require(throws: StoreError.self) { try RecordStore(path: path) }
            #expect(error.kind == .inUseByAnotherWriter)
        }
    }

    @Test func nothingIsCommittedOnceTheDatabaseFileWasDeleted() throws {
        let store = try RecordStore(path: directory.databasePath)
        defer { store.close() }
        _ = try store.commit([.batch(Fixture.batch(records: [Fixture.record()]))])

        try FileManager.default.removeItem(atPath: directory.databasePath)

        let error = try #require(throws: StoreError.self) {
            try store.commit([.batch(Fixture.batch(records: Fixture.records(from: 1, count: 1)))])
        }
        #expect(error.kind == .fileGone)
        #expect("\(error)".contains("deleted or replaced"))
    }

    @Test func aDroppedIdentityIndexIsPutBackAtOpen() throws {
        let first = try RecordStore(path: directory.databasePath)
        try first.database.execute("DROP INDEX records_identity", operation: "drop the index as a tool might")
        first.close()

        let store = try RecordStore(path: directory.databasePath)
        defer { store.close() }
        let batch = Fixture.batch(records: [Fixture.record()])
        _ = try store.commit([.batch(batch)])
        #expect(try store.commit([.batch(batch)]) == [.batch(BatchOutcome(inserted: 0, duplicates: 1, quarantined: 0))])
    }

    @Test func aQuarantinedEntrySentAgainIsKeptOnce() throws {
        let store = try RecordStore(path: directory.databasePath)
        defer { store.close() }
        let bad = QuarantinedRecord(sn: "AB1", raw: #"{"time":"x"}"#, reason: "enrollid is missing")

        _ = try store.commit([.batch(Fixture.batch(records: [], quarantined: [bad]))])
        _ = try store.commit([.batch(Fixture.batch(id: 2, records: [], quarantined: [bad]))])

        #expect(try count("quarantine") == 1)
    }

    @Test func aVersion1DatabaseIsMigratedAndKeepsItsQuarantine() throws {
        let database = try Database(path: directory.databasePath)
        try database.execute(Schema.migrations[0] + "PRAGMA user_version = 1;", operation: "make a version 1 file")
        try database.execute(
            "INSERT INTO quarantine (sn, received_at, reason, raw) VALUES ('A', '2024-01-01T00:00:00.000Z', 'r', '{}')",
            operation: "keep an old entry")
        database.close()

        let store = try RecordStore(path: directory.databasePath)
        defer { store.close() }

        #expect(try Schema.version(of: store.database) == Schema.currentVersion)
        #expect(try count("quarantine") == 1)
    }

    @Test func anotherApplicationsDatabaseIsNotTakenOver() throws {
        let database = try Database(path: directory.databasePath)
        try database.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)", operation: "make a foreign table")
        database.close()

        let error = try #require(throws: StoreError.self) { try RecordStore(path: self.directory.databasePath) }
        #expect(error.kind == .notACatracaDatabase)
        #expect(try count("sqlite_master") == 1, "nothing was added to the file")
    }

    @Test func aDatabaseFromANewerVersionIsRefused() throws {
        let database = try Database(path: directory.databasePath)
        try database.execute("PRAGMA user_version = 99", operation: "set a future version")
        database.close()

        let error = try #require(throws: StoreError.self) { try RecordStore(path: self.directory.databasePath) }
        #expect(error.kind == .schemaTooNew(found: 99, supported: Schema.currentVersion))
        #expect(error.description.contains("schema version 99"))
        #expect(throws: StoreError.self) { try StoreReader(path: self.directory.databasePath) }
    }

    @Test func aFullDiskFailsTheWholeCommitWithAnErrorNamingTheDirectory() throws {
        let store = try RecordStore(path: directory.databasePath)
        try limitGrowth(of: store.database)
        let secretName = "Maria da Silva"
        let fits = Fixture.batch(id: 1, records: [Fixture.record(enrollid: 1, name: secretName)])
        let tooBig = Fixture.batch(id: 2, records: [Fixture.record(enrollid: 2, name: secretName,
                                                                   photo: Fixture.photo(size: 200_000))])

        let error = try #require(throws: StoreError.self) { try store.commit([.batch(fits), .batch(tooBig)]) }

        #expect(error.resultCode == SQLITE_FULL)
        #expect(error.description.contains("the disk is full: free space on \(directory.path)"))
        #expect(!error.description.contains(secretName))
        #expect(try count("records") == 0)
        #expect(try store.commit([.batch(fits)]) == [.batch(BatchOutcome(inserted: 1, duplicates: 0, quarantined: 0))])
    }

    @Test func aLockHeldByAnotherConnectionIsReportedAsBusy() throws {
        let store = try RecordStore(path: directory.databasePath, busyTimeout: .zero)
        let other = try Database(path: directory.databasePath)
        try other.execute("BEGIN IMMEDIATE", operation: "hold the write lock")
        defer { other.rollbackIfOpen() }

        let error = try #require(throws: StoreError.self) {
            try store.commit([.batch(Fixture.batch(records: [Fixture.record()]))])
        }

        #expect(error.resultCode == SQLITE_BUSY)
        #expect(error.description.contains("another process holds the database"))
        #expect(error.description.contains(directory.databasePath))
    }

    // MARK: Helpers

    private func count(_ table: String) throws -> Int {
        let database = try Database(path: directory.databasePath, mode: .readOnly)
        let statement = try database.prepare("SELECT count(*) FROM \(table)", operation: "count")
        _ = try statement.step()
        return statement.int(0)
    }

    private func pragma(_ name: String, on database: Database? = nil) throws -> String {
        let database = try database ?? Database(path: directory.databasePath, mode: .readOnly)
        let statement = try database.prepare("PRAGMA \(name)", operation: "read \(name)")
        _ = try statement.step()
        defer { statement.reset() }
        return statement.text(0)
    }
}

/// Lets the database grow by a few pages only: SQLite then fails writes with SQLITE_FULL, like a full disk.
func limitGrowth(of database: Database) throws {
    let statement = try database.prepare("PRAGMA page_count", operation: "read the page count")
    _ = try statement.step()
    let pages = statement.int(0)
    statement.reset()
    try database.execute("PRAGMA max_page_count = \(pages + 4)", operation: "limit the page count")
}
