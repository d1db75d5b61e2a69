import CatracaCore
import Foundation
import Testing
@testable import CatracaTerminal

@Suite struct IgnoredMessageTests {
    @Test(arguments: [
        "{not json", "[1,2]", "\"reg\"", "{}", #"{"cmd":""}"#, #"{"cmd":42}"#, #"{"cmd":"selfdestruct","sn":"F1"}"#,
        #"{"ret":"getuserinfo","result":true}"#, #"{"sn":"F1"}"#,
    ])
    func unusableMessagesAreLoggedAndTheSessionCarriesOn(message: String) {
        let harness = SessionHarness()
        #expect(harness.receive(message).isEmpty)
        #expect(harness.sink.entries.contains { $0.level == .debug && $0.message.contains("ignored") })

        let effects = harness.receive(#"{"cmd":"reg","sn":"F1"}"#)
        #expect(effects.sentTexts.count == 1)
    }

    @Test func deepNestingIsRefusedQuickly() {
        let harness = SessionHarness()
        let deep = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        let started = Date()
        #expect(harness.session.receive(text: deep).isEmpty)
        #expect(Date().timeIntervalSince(started) < 0.5)
        #expect(harness.sink.entries(containing: "ignored").first?.metadata["reason"]?.contains("64 levels") == true)
    }

    @Test func invalidUTF8IsIgnored() {
        let harness = SessionHarness()
        let bytes = Array(#"{"cmd":"reg","sn":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(harness.session.receive(text: bytes).isEmpty)
    }
}
