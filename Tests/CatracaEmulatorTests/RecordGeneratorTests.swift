import CatracaEmulator
import CatracaJSON
import Testing

/// The emulator's records: a test names the record it expects by its first time (`--first-record-time`).
@Suite struct RecordGeneratorTests {
    @Test func recordsStartAtTheFirstTimeOneSecondApart() {
        let generator = RecordGenerator(firstTime: "2024-01-01 09:00:00", photoBytes: 0)
        #expect(generator.time(of: 0) == "2024-01-01 09:00:00")
        #expect(generator.time(of: 61) == "2024-01-01 09:01:01")
        guard case .object(let record) = generator.records(0..<1)[0] else {
            Issue.record("a record is a JSON object")
            return
        }
        #expect(record["enrollid"] == .number(JSONNumber(1)))
        #expect(record["event"] == .number(JSONNumber(0)))
    }

    @Test func onlyTerminalTimesAreFirstTimes() {
        #expect(RecordGenerator.isRecordTime("2024-01-01 09:00:00"))
        #expect(!RecordGenerator.isRecordTime("2024-01-01"))
        #expect(!RecordGenerator.isRecordTime("09:00"))
    }
}
