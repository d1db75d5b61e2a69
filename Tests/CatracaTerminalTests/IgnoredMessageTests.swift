import CatracaCore
import Foundation
import Testing
@testable import CatracaTerminal

@Suite struct IgnoredMessageTests {
    @Test(arguments: [
        "{not json", "[1,2]", "\"reg\"", "{}", #"{"cmd":""}"#, #"{"sn":"F1"}"#,
    ])
    func unusableMessagesAreLoggedAndTheSessionCarriesOn(message: String) {
        let harness = SessionHarness()
        #expect(harness.receive(message).isEmpty)
        #expect(harness.sink.entries.contains { $0.level == .debug && $0.message.contains("ignored") })

        let effects = harness.receive(#"{"cmd":"reg","sn":"F1"}"#)
        #expect(effects.sentTexts.count == 1)
    }

    /// A reply, or a request the session does not serve, may answer a server command: the command queue
    /// decides, so the session hands it on instead of dropping it.
    @Test(arguments: [#"{"ret":"getuserinfo","result":true}"#, #"{"cmd":"getuserlock","enrollid":1,"result":true}"#])
    func repliesAreHandedOnForTheCommandQueue(message: String) throws {
        let harness = SessionHarness()
        let effects = harness.receive(message)
        #expect(effects.count == 1)
        guard case .reply(let reply)? = effects.first else {
            Issue.record("expected a reply effect, got \(effects)")
            return
        }
        #expect(reply.name == (message.contains("getuserinfo") ? "getuserinfo" : "getuserlock"))
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
