import CatracaCore
import CatracaTerminal
import Foundation
import Testing
@testable import CatracaStore

@Suite struct DatabaseBackupTests {
    @Test func aBackupTakenWhileTheWriterCommitsHoldsAConsistentPrefixAndPassesItsCheck() throws {
        let directory = try TemporaryDirectory()
        let writer = try StoreWriter(path: directory.databasePath, logger: Logger(label: "t", sink: MemoryLogSink()))
        defer { writer.stop() }
        for id in 0..<20 {
            try commit(writer, Fixture.batch(id: UInt64(id), records: Fixture.records(from: id * 50, count: 50)))
        }

        let copyPath = directory.path + "/copy.db"
        let writing = Thread { [writer] in
            for id in 20..<60 {
                try? commit(writer, Fixture.batch(id: UInt64(id), records: Fixture.records(from: id * 50, count: 50)))
            }
        }
        writing.start()
        var backup = DatabaseBackup(sourcePath: directory.databasePath, copyPath: copyPath)
        backup.pagesPerStep = 4
        let report = try backup.run()

        #expect(report.steps > 1)
        #expect(report.pages > 0)
        let reader = try StoreReader(path: copyPath)
        defer { reader.close() }
        let records = try reader.counts().records
        #expect(records >= 1_000 && records % 50 == 0, "the copy holds whole batches only: \(records)")
        #expect(!FileManager.default.fileExists(atPath: copyPath + ".partial-\(getpid())"))
        #expect(!FileManager.default.fileExists(atPath: copyPath + "-wal"))
    }

    @Test func aCopyOntoTheLiveDatabaseOrItsLinksIsRefusedAndLeavesItInPlace() throws {
        let directory = try TemporaryDirectory()
        let writer = try StoreWriter(path: directory.databasePath, logger: Logger(label: "t", sink: MemoryLogSink()))
        defer { writer.stop() }
        try commit(writer, Fixture.batch(id: 1, records: Fixture.records(from: 0, count: 5)))
        var before = stat()
        _ = stat(directory.databasePath, &before)
        let hardLink = directory.path + "/same.db"
        _ = link(directory.databasePath, hardLink)

        for target in [directory.databasePath, hardLink, directory.databasePath + "-wal"] {
            let error = #expect(throws: StoreError.self) {
                try DatabaseBackup(sourcePath: directory.databasePath, copyPath: target).run()
            }
            #expect("\(String(describing: error))".contains("would replace"))
        }
        var after = stat()
        _ = stat(directory.databasePath, &after)
        #expect(before.st_ino == after.st_ino, "the live database is the same file")
        try commit(writer, Fixture.batch(id: 2, records: Fixture.records(from: 5, count: 5)))
    }

    @Test func aRestoreOverAnotherRunningDatabaseIsRefused() throws {
        let directory = try TemporaryDirectory()
        let oldCopy = directory.path + "/old.db"
        do {
            let writer = try StoreWriter(path: oldCopy, logger: Logger(label: "t", sink: MemoryLogSink()))
            try commit(writer, Fixture.batch(id: 1, records: Fixture.records(from: 0, count: 3)))
            writer.stop()
        }
        let writer = try StoreWriter(path: directory.databasePath, logger: Logger(label: "t", sink: MemoryLogSink()))
        defer { writer.stop() }
        try commit(writer, Fixture.batch(id: 2, records: Fixture.records(from: 10, count: 3)))

        let error = #expect(throws: StoreError.self) {
            try DatabaseBackup(sourcePath: oldCopy, copyPath: directory.databasePath).run()
        }
        #expect("\(String(describing: error))".contains("running daemon"))
        try commit(writer, Fixture.batch(id: 3, records: Fixture.records(from: 20, count: 3)))
    }

    @Test func aMissingSourceFailsAndLeavesNoCopy() throws {
        let directory = try TemporaryDirectory()
        let copyPath = directory.path + "/copy.db"
        #expect(throws: StoreError.self) {
            try DatabaseBackup(sourcePath: directory.path + "/absent.db", copyPath: copyPath).run()
        }
        #expect(!FileManager.default.fileExists(atPath: copyPath))
    }

    @Test func aFailedBackupKeepsThePreviousCopy() throws {
        let directory = try TemporaryDirectory()
        let copyPath = directory.path + "/copy.db"
        try Data("previous copy".utf8).write(to: URL(fileURLWithPath: copyPath))
        try Data("not a database at all, just some text".utf8)
            .write(to: URL(fileURLWithPath: directory.databasePath))

        #expect(throws: StoreError.self) {
            try DatabaseBackup(sourcePath: directory.databasePath, copyPath: copyPath).run()
        }
        #expect(try String(contentsOfFile: copyPath, encoding: .utf8) == "previous copy")
    }
}

private func commit(_ writer: StoreWriter, _ batch: RecordBatch) throws {
    let done = DispatchSemaphore(value: 0)
    let box = ResultBox()
    writer.submit(batch) { result in
        box.result = result
        done.signal()
    }
    done.wait()
    _ = try box.result?.get()
}

private final class ResultBox: @unchecked Sendable {
    var result: Result<BatchOutcome, StoreError>?
}

@Suite struct HardStopCheckTests {
    /// A database whose pages were damaged while its last run ended hard (a write-ahead log is left beside it)
    /// is refused at open instead of taking, and acknowledging, records it cannot keep.
    @Test func aDamagedDatabaseLeftByAHardStopIsRefusedAtOpen() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        do {
            let writer = try StoreWriter(path: path, logger: Logger(label: "t", sink: MemoryLogSink()))
            for id in 0..<5 {
                try commitBatch(writer, Fixture.batch(id: UInt64(id), records: Fixture.records(from: id * 200,
                                                                                                  count: 200)))
            }
            writer.stop()
        }
        // Garbage over the pages after the first, and a log left behind as by a kill -9.
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 4_096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: Int(size) - 4_096))
        try handle.close()
        FileManager.default.createFile(atPath: path + "-wal", contents: Data(repeating: 0, count: 64))

        let error = #expect(throws: StoreError.self) { _ = try RecordStore(path: path) }
        #expect("\(String(describing: error))".contains("damaged"), "\(String(describing: error))")
    }

    @Test func aCleanlyStoppedDatabaseIsNotCheckedAgain() throws {
        let directory = try TemporaryDirectory()
        do {
            let writer = try StoreWriter(path: directory.databasePath,
                                         logger: Logger(label: "t", sink: MemoryLogSink()))
            try commitBatch(writer, Fixture.batch(id: 1, records: Fixture.records(from: 0, count: 3)))
            writer.stop()
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: directory.databasePath + "-wal"))?[.size] as? Int
        #expect((size ?? 0) == 0, "a clean stop leaves no log, or an empty one")
        _ = try RecordStore(path: directory.databasePath)
    }
}

private func commitBatch(_ writer: StoreWriter, _ batch: RecordBatch) throws {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var outcome: Result<BatchOutcome, StoreError>?
    writer.submit(batch) { result in
        outcome = result
        done.signal()
    }
    done.wait()
    _ = try outcome!.get()
}
