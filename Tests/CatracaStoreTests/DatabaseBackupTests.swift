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
