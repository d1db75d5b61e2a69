@testable import CatracaStore
import Testing
@testable import CatracaDaemon

@Suite struct TerminalListingTests {
    private func terminal(model: String) -> StoredTerminal {
        StoredTerminal(sn: "AB12", devinfoJSON: #"{"modelname":\#(model),"firmware":"1.0"}"#, address: "10.0.0.5",
                       firstSeen: "2024-01-01T00:00:00.000Z", lastSeen: "2024-01-02T00:00:00.000Z")
    }

    @Test func controlCharactersFromATerminalCannotAddLinesOrEscapeSequences() {
        let listing = TerminalListing(format: .table).render([terminal(model: #""X\nFAKE0001 6.6.6.6\u001b[2J""#)])
        #expect(listing.split(separator: "\n").count == 2, "a header and one terminal")
        #expect(!listing.contains("\u{1b}"))
        #expect(listing.contains(#"X\xaFAKE0001 6.6.6.6\x1b[2J"#))
    }

    @Test func longValuesAreCut() {
        let model = "\"" + String(repeating: "M", count: 5_000) + "\""
        let listing = TerminalListing(format: .csv).render([terminal(model: model)])
        #expect(listing.utf8.count < 400)
        #expect(listing.contains("…"))
    }
}
