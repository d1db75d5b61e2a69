import CatracaCore
import CatracaJSON
import Testing
@testable import CatracaTerminal

@Suite struct RecordParserTests {
    private let sink = MemoryLogSink()

    private func read(_ text: String, fallbackSN: String = "F1") throws -> RecordParser.Reading {
        let parser = RecordParser(logger: Logger(label: "test", level: .debug, sink: sink))
        return parser.parse(try JSONReader.parse(text), fallbackSN: fallbackSN)
    }

    private func record(_ text: String) throws -> AccessRecord {
        guard case .record(let record) = try read(text) else {
            Issue.record("expected a record from \(text)")
            throw StoreFailure()
        }
        return record
    }

    private func reason(_ text: String) throws -> String? {
        guard case .quarantined(let quarantined) = try read(text) else { return nil }
        #expect(quarantined.raw == (try JSONReader.parse(text)).description)
        return quarantined.reason
    }

    @Test func modeInoutAndEventDefaultToZero() throws {
        let parsed = try record(#"{"enrollid":7,"time":"2024-01-02 03:04:05"}"#)
        #expect(parsed.identity == RecordIdentity(sn: "F1", enrollid: 7, time: "2024-01-02 03:04:05",
                                                  mode: 0, inOut: 0, event: 0))
        #expect(parsed.photo == nil && parsed.name == nil && parsed.temperature == nil && parsed.verifyMode == nil)
    }

    @Test(arguments: [("2024-01-02T03:04:05", "2024-01-02 03:04:05"), ("2024-1-2 3:4:5", "2024-01-02 03:04:05"),
                      (" 2024-12-31 23:59:59 ", "2024-12-31 23:59:59"), ("2024-02-29 00:00:00", "2024-02-29 00:00:00")])
    func timesAreNormalised(sent: String, canonical: String) throws {
        #expect(try record(#"{"enrollid":1,"time":"\#(sent)"}"#).identity.time == canonical)
    }

    @Test(arguments: ["2023/12/23 13:49:30", "2023-12-23", "2023-02-29 10:00:00", "2023-12-23 24:00:00",
                      "23-12-23 13:49:30", "2023-12-23 13:49", "2023-13-01 00:00:00", "2023-12-23  13:49:30"])
    func unreadableTimesQuarantineTheRecordNamingTheValue(time: String) throws {
        let expected = "time is not YYYY-MM-DD HH:MM:SS: \"\(time)\""
        #expect(try reason(#"{"enrollid":1,"time":"\#(time)"}"#) == expected)
    }

    @Test func quarantineReasonsSayWhatIsWrong() throws {
        #expect(try reason(#"{"time":"2024-01-02 03:04:05"}"#) == "enrollid is missing")
        #expect(try reason(#"{"enrollid":null,"time":"2024-01-02 03:04:05"}"#) == "enrollid is missing")
        #expect(try reason(#"{"enrollid":"abc","time":"2024-01-02 03:04:05"}"#)
            == #"enrollid is not an integer: "abc""#)
        #expect(try reason(#"{"enrollid":1.5,"time":"2024-01-02 03:04:05"}"#) == "enrollid is not an integer: 1.5")
        #expect(try reason(#"{"enrollid":1}"#) == "time is missing")
        #expect(try reason(#"{"enrollid":1,"time":20240102}"#) == "time is not YYYY-MM-DD HH:MM:SS: 20240102")
        #expect(try reason(#"{"enrollid":1,"time":"2024-01-02 03:04:05","mode":"x"}"#)
            == #"mode is not an integer: "x""#)
        #expect(try reason(#"{"enrollid":1,"time":"2024-01-02 03:04:05","inout":true}"#)
            == "inout is not an integer: true")
        #expect(try reason("[1]") == "record is not an object")
    }

    @Test func longValuesAreShortenedInReasons() throws {
        let long = String(repeating: "9", count: 200)
        let text = try #require(try reason(#"{"enrollid":\#(long),"time":"2024-01-02 03:04:05"}"#))
        #expect(text == "enrollid is not an integer: " + String(repeating: "9", count: 57) + "...")
    }

    @Test func unknownKeysAndUnreadableOptionalFieldsAreKeptInOrder() throws {
        let parsed = try record(
            #"{"zz":1,"enrollid":1,"time":"2024-01-02 03:04:05","temp":"hot","aa":{"b":[true]},"name":"Ana"}"#
        )
        #expect(parsed.extraJSON == #"{"zz":1,"temp":"hot","aa":{"b":[true]}}"#)
        #expect(parsed.temperature == nil)
        #expect(parsed.name == "Ana")
    }

    @Test func keysInAnotherCaseAreRead() throws {
        let parsed = try record(#"{"EnrollID":3,"Time":"2024-01-02 03:04:05","InOut":1}"#)
        #expect(parsed.identity.enrollid == 3 && parsed.identity.inOut == 1)
        #expect(parsed.extraJSON == nil)
    }

    @Test func theRecordsOwnSerialNumberWins() throws {
        #expect(try record(#"{"sn":"R9","enrollid":1,"time":"2024-01-02 03:04:05"}"#).identity.sn == "R9")
        #expect(try record(#"{"sn":"","enrollid":1,"time":"2024-01-02 03:04:05"}"#).identity.sn == "F1")
    }

    @Test func aDataPrefixGivesTheMediaType() throws {
        let image = "data:image/png;base64,iVBORw=="
        let parsed = try record(#"{"enrollid":1,"time":"2024-01-02 03:04:05","image":"\#(image)"}"#)
        #expect(parsed.photo == Photo(mediaType: "image/png", bytes: [0x89, 0x50, 0x4E, 0x47]))
    }

    @Test func base64WithLineBreaksIsDecoded() throws {
        let parsed = try record(#"{"enrollid":1,"time":"2024-01-02 03:04:05","image":"/9j/\n4AAQ"}"#)
        #expect(parsed.photo?.bytes == [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10])
        #expect(parsed.photo?.mediaType == "image/jpeg")
    }

    @Test(arguments: [#""%%%%""#, "42", #""data:image/jpeg;base64,""#, #""""#, "null"])
    func aMissingOrUndecodableImageLeavesTheRecordWithoutPhoto(image: String) throws {
        let parsed = try record(#"{"enrollid":1,"time":"2024-01-02 03:04:05","image":\#(image)}"#)
        #expect(parsed.photo == nil)
        #expect(parsed.extraJSON == nil)
    }

    @Test func anUndecodableImageIsLoggedAtDebug() throws {
        _ = try record(#"{"enrollid":1,"time":"2024-01-02 03:04:05","image":"%%%%"}"#)
        let line = try #require(sink.entries(containing: "photo dropped", level: .debug).first)
        #expect(line.metadata["reason"] == "image is not base64 (4 characters)")
        #expect(line.metadata["enrollid"] == "1")
    }

    @Test func aMessagesRecordsAreSplitIntoStoredAndQuarantined() throws {
        let parser = RecordParser(logger: Logger(label: "test", sink: sink))
        let entries = try #require(try JSONReader.parse(
            #"[{"enrollid":1,"time":"2024-01-02 03:04:05"},{"enrollid":2},"x","#
                + #"{"enrollid":3,"time":"2024-01-02 03:04:06"}]"#
        ).array)
        let parsed = parser.parse(entries, fallbackSN: "F1")
        #expect(parsed.records.map(\.identity.enrollid) == [1, 3])
        #expect(parsed.quarantined.map(\.reason) == ["time is missing", "record is not an object"])
        #expect(parsed.quarantined.map(\.sn) == ["F1", "F1"])
    }
}

@Suite struct RecordPhotoMediaTypeTests {
    @Test func theMediaTypeOfADataPrefixIsKeptWhenItIsARasterImage() throws {
        #expect(try RecordPhoto.decode("data:image/png;base64,aGVsbG8=")?.mediaType == "image/png")
    }

    @Test func theBytesDecideOverThePrefix() throws {
        let png = "iVBORw0KGgoAAAANSUhEUg=="  // the PNG signature and the start of its first chunk
        #expect(try RecordPhoto.decode(png)?.mediaType == "image/png")
        #expect(try RecordPhoto.decode("data:text/html;base64," + png)?.mediaType == "image/png")
        #expect(try RecordPhoto.decode("data:image/svg+xml;base64,PHN2Zz4=")?.mediaType == "image/jpeg")
    }

    @Test func anythingElseInThePrefixFallsBackToJPEG() throws {
        let junk = "data:" + String(repeating: "x", count: 5_000) + ";base64,aGVsbG8="
        #expect(try RecordPhoto.decode(junk)?.mediaType == "image/jpeg")
        #expect(try RecordPhoto.decode("data:text/<script>;base64,aGVsbG8=")?.mediaType == "image/jpeg")
    }
}
