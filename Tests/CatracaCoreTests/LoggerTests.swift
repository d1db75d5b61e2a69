import Testing
@testable import CatracaCore

@Suite struct LoggerTests {
    @Test func metadataIsRenderedSortedAndQuotedWhenNeeded() {
        let entry = LogEntry(level: .info, label: "terminal", message: "registered",
                             metadata: ["sn": "ABC", "address": "10.0.0.1:5000", "reason": "not on the list"])
        #expect(entry.renderedMetadata == "address=10.0.0.1:5000 reason=\"not on the list\" sn=ABC")
    }

    @Test func controlCharactersInValuesAreEscapedSoALineCannotBeBrokenOrForged() {
        let entry = LogEntry(level: .info, label: "t", message: "m",
                             metadata: ["sn": "A\u{0}B\nfake=1\r\t\\"])
        #expect(entry.renderedMetadata == #"sn="A\x00B\nfake=1\r\t\\""#)
        #expect(!entry.renderedMetadata.contains("\n"))
    }

    @Test func hugeSpansSaturateInsteadOfTrapping() {
        #expect(TimeSpan.seconds(1e12).nanoseconds == .max)
        #expect(TimeSpan.seconds(-.infinity).nanoseconds == .min)
        #expect((Instant(nanoseconds: 5) + TimeSpan(nanoseconds: .max)).nanoseconds == UInt64(Int64.max))
        #expect((Instant(nanoseconds: 5) + .seconds(-10)) == .zero)
    }

    @Test func linesBelowTheLevelAreNotWritten() {
        let sink = MemoryLogSink()
        let logger = Logger(label: "test", level: .info, sink: sink)
        logger.debug("hidden")
        logger.info("shown", ["sn": "X"])
        #expect(sink.entries.map(\.message) == ["shown"])
        #expect(sink.entries.first?.metadata["sn"] == "X")
    }

    @Test func siteTimeIsLocalWithoutTimeZoneMarkers() throws {
        let site = try #require(SiteTime(identifier: "America/Sao_Paulo"))
        // 2023-12-23 16:49:30 UTC is 13:49:30 in São Paulo (UTC-3, no daylight saving since 2019).
        #expect(site.format(Date(timeIntervalSince1970: 1_703_350_170)) == "2023-12-23 13:49:30")
    }
}

import Foundation
