import CatracaCore
import CatracaTerminal
import Foundation
import Testing
@testable import CatracaStore

@Suite final class StoreReaderTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    private func storeSample() throws {
        let store = try RecordStore(path: directory.databasePath)
        var tricky = Fixture.record(enrollid: 2, time: "2023-12-24 08:00:00", name: "Silva, \"Zé\"\nJr",
                                    photo: Fixture.photo(size: 10), extraJSON: "{ \"mask\": 1,\n \"note\": \"a b\" }")
        tricky.temperature = 36.5
        let other = Fixture.record(sn: "EFGH5678", enrollid: 3, time: "2023-12-25 09:30:00")
        _ = try store.commit([.batch(Fixture.batch(records: [Fixture.record(enrollid: 1), tricky])),
                              .batch(Fixture.batch(sn: "EFGH5678", records: [other]))])
    }

    @Test func csvExportQuotesFieldsAsRFC4180() throws {
        try storeSample()
        let exporter = RecordExporter(reader: try StoreReader(path: directory.databasePath))
        var text = ""

        let count = try exporter.write(format: .csv) { text += $0 }

        #expect(count == 3)
        #expect(text == """
            sn,enrollid,time,mode,inout,event,verifymode,temperature,name,received_at,has_photo\r
            ABCD1234,1,2023-12-23 13:49:30,8,0,0,8,,,2023-12-23T16:49:30.250Z,0\r
            ABCD1234,2,2023-12-24 08:00:00,8,0,0,8,36.5,"Silva, ""Zé""
            Jr",2023-12-23T16:49:30.250Z,1\r
            EFGH5678,3,2023-12-25 09:30:00,8,0,0,8,,,2023-12-23T16:49:30.250Z,0\r

            """)
    }

    @Test func jsonlExportWritesOneObjectPerLineWithExtraKeys() throws {
        try storeSample()
        let exporter = RecordExporter(reader: try StoreReader(path: directory.databasePath))
        var text = ""

        try exporter.write(format: .jsonl, sn: "ABCD1234") { text += $0 }

        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1] == #"{"sn":"ABCD1234","enrollid":2,"time":"2023-12-24 08:00:00","mode":8,"inout":0,"event":0,"#
            + #""verifymode":8,"temperature":36.5,"name":"Silva, \"Zé\"\nJr","#
            + #""received_at":"2023-12-23T16:49:30.250Z","has_photo":true,"extra":{"mask":1,"note":"a b"}}"#)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["name"] is NSNull)
        #expect(first["extra"] == nil)
        #expect(first["has_photo"] as? Bool == false)
    }

    @Test func exportToAFileHandleWritesEverything() throws {
        try storeSample()
        let exporter = RecordExporter(reader: try StoreReader(path: directory.databasePath))
        let path = directory.path + "/export.jsonl"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))

        try exporter.write(format: .jsonl, to: handle)
        try handle.close()

        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.split(separator: "\n").count == 3)
    }

    @Test func sinceComparesWithTheTerminalTimeAndAcceptsADatePrefix() throws {
        try storeSample()
        let reader = try StoreReader(path: directory.databasePath)

        #expect(try reader.records(since: "2023-12-24").all().map(\.identity.enrollid) == [2, 3])
        #expect(try reader.records(since: "2023-12-24 08:00:01").all().map(\.identity.enrollid) == [3])
        #expect(try reader.records(since: "2023-12-24", limit: 1).all().map(\.identity.enrollid) == [2])
        #expect(try reader.records(sn: "EFGH5678").all().map(\.identity.enrollid) == [3])
        let error = try #require(throws: StoreError.self) { try reader.records(since: "yesterday") }
        #expect(error.description.contains("YYYY-MM-DD"))
    }

    @Test func receivedSinceFiltersOnArrivalNotOnTheTerminalsClock() throws {
        let store = try RecordStore(path: directory.databasePath)
        let early = Fixture.batch(records: [Fixture.record(enrollid: 1, time: "2030-01-01 00:00:00")])
        var late = Fixture.batch(id: 2, records: [Fixture.record(enrollid: 2, time: "2001-01-01 00:00:00")])
        late.receivedAt = Fixture.receivedAt.addingTimeInterval(3_600)
        _ = try store.commit([.batch(early), .batch(late)])
        let reader = try StoreReader(path: directory.databasePath)

        // Fixture.receivedAt is 2023-12-23T16:49:30.250Z; the late batch came an hour after it.
        #expect(try reader.records(receivedSince: "2023-12-23T17:00").all().map(\.identity.enrollid) == [2])
        #expect(try reader.records(receivedSince: "2023-12-23 16:49").all().map(\.identity.enrollid) == [1, 2])
        let error = try #require(throws: StoreError.self) { try reader.records(receivedSince: "an hour ago") }
        #expect(error.description.contains("YYYY-MM-DDTHH:MM"))
    }

    @Test func theReaderSeesCommittedRecordsWhileTheWriterHoldsATransaction() throws {
        try storeSample()
        let writer = try Database(path: directory.databasePath)
        try writer.execute("BEGIN IMMEDIATE", operation: "hold the write lock")
        try writer.execute("INSERT INTO records (sn, enrollid, time, mode, inout, event, received_at) "
                           + "VALUES ('X', 1, '2023-12-26 00:00:00', 0, 0, 0, 'now')", operation: "insert")

        let reader = try StoreReader(path: directory.databasePath, busyTimeout: .zero)
        #expect(try reader.records().all().count == 3)
        #expect(try reader.terminals().isEmpty)

        try writer.execute("COMMIT", operation: "commit")
        #expect(try reader.records().all().count == 4)
    }

    @Test func aReaderRefusesADatabaseTheDaemonHasNotMigrated() throws {
        let database = try Database(path: directory.databasePath)
        try database.execute("CREATE TABLE unrelated (x)", operation: "create a table")
        database.close()

        let error = try #require(throws: StoreError.self) { try StoreReader(path: self.directory.databasePath) }
        #expect(error.kind == .schemaOutdated(found: 0, supported: Schema.currentVersion))
    }
}
