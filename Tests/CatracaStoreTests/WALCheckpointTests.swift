import CatracaCore
import CatracaTerminal
import Foundation
import Testing
@testable import CatracaStore

/// The writer, not SQLite's commit, checkpoints the log; the log must still stay small.
@Suite struct WALCheckpointTests {
    @Test func theLogIsCheckpointedBetweenCommitsAndStartsOverInsteadOfGrowing() throws {
        let directory = try TemporaryDirectory()
        let store = try RecordStore(path: directory.databasePath)
        defer { store.close() }
        var checkpoints = 0

        for round in 0..<400 {
            let records = Fixture.records(sn: "T\(round % 7)", from: round * 50, count: 50).map { record in
                var named = record
                named.name = String(repeating: "n", count: 200)
                return named
            }
            _ = try store.commit([.batch(Fixture.batch(id: UInt64(round), sn: "T\(round % 7)", records: records))])
            if store.isCheckpointDue {
                try store.checkpoint()
                checkpoints += 1
                #expect(!store.isCheckpointDue)
            }
        }

        #expect(checkpoints > 0, "20,000 rows of ~250 bytes must pass the 1000-page threshold")
        let logBytes = try FileManager.default.attributesOfItem(atPath: directory.databasePath + "-wal")[.size] as? Int
        // The threshold is 1000 pages of 4 KiB; a log that starts over stays within a few times that.
        #expect((logBytes ?? 0) < 8 << 20, "log is \(logBytes ?? 0) bytes")
    }

    @Test func withoutTheWritersCheckpointsSQLiteDoesNotCheckpointOnItsOwn() throws {
        let directory = try TemporaryDirectory()
        let store = try RecordStore(path: directory.databasePath)
        defer { store.close() }

        for round in 0..<100 {
            _ = try store.commit([.batch(Fixture.batch(id: UInt64(round), records: Fixture.records(from: round * 50,
                                                                                                 count: 50)))])
        }

        // The WAL hook replaced SQLite's automatic checkpoint, so the decision is the writer's alone.
        #expect(store.isCheckpointDue)
    }
}

@Suite struct CloseCheckpointTests {
    @Test func afterCloseTheDatabaseFileAloneHoldsEveryRecord() throws {
        let directory = try TemporaryDirectory()
        let store = try RecordStore(path: directory.databasePath)
        _ = try store.commit([.batch(Fixture.batch(records: Fixture.records(count: 300)))])

        store.close()

        let logPath = directory.databasePath + "-wal"
        let logBytes = (try? FileManager.default.attributesOfItem(atPath: logPath)[.size]) as? Int
        #expect((logBytes ?? 0) == 0, "the log is emptied into the database file")
        let copy = directory.path + "/copy.db"
        try FileManager.default.copyItem(atPath: directory.databasePath, toPath: copy)
        let reader = try StoreReader(path: copy)
        defer { reader.close() }
        #expect(try reader.records().all().count == 300)
    }
}
