import CatracaCore
import Testing
@testable import CatracaTerminal

/// A `reg` the site's rules (plugins) refuse shuts the connection out like the allow-list does: its records and
/// QR codes are refused until a later `reg` is accepted.
@Suite struct SiteRulesRefusalTests {
    static let reg = #"{"cmd":"reg","sn":"REFUSE000001"}"#
    static let sendlog = #"{"cmd":"sendlog","sn":"REFUSE000001","count":1,"logindex":1,"record":[{"enrollid":5,"#
        + #""time":"2023-12-23 13:49:00","mode":0,"inout":0,"event":0}]}"#

    /// A session whose `reg` the rules refused with "Not here".
    func refused() throws -> SessionHarness {
        let harness = SessionHarness(decidesAccess: true)
        guard case .registration(let registration)? = harness.receive(SiteRulesRefusalTests.reg).questions.first
        else { throw HarnessError.noQuestion }
        let answer = harness.session.registrationDecided(registration,
                                                         verdict: AccessVerdict(access: false, message: "Not here"))
        #expect(answer.sentTexts == [#"{"ret":"reg","result":false,"reason":"Not here"}"#])
        return harness
    }

    enum HarnessError: Error { case noQuestion }

    @Test func recordsAfterARefusedRegAreRefusedNotStoredNotAdopted() throws {
        let harness = try refused()
        let effects = harness.receive(SiteRulesRefusalTests.sendlog)
        #expect(effects.batches.isEmpty)
        #expect(effects.registrations.isEmpty)
        #expect(effects.questions.isEmpty)
        #expect(effects.sentTexts == [#"{"ret":"sendlog","result":false,"reason":"Not here"}"#])
        #expect(harness.session.serialNumber == nil)
    }

    @Test func qrCodesAndListedRecordsAfterARefusedRegAreRefused() throws {
        let harness = try refused()
        let effects = harness.receive(#"{"cmd":"sendqrcode","sn":"REFUSE000001","record":"V-1"}"#)
        #expect(effects.questions.isEmpty)
        #expect(effects.sentTexts.count == 1 && effects.sentTexts[0].contains(#""result":false"#))
        #expect(harness.session.listedRecords([]) == nil)
    }

    @Test func unreadableSendlogsAfterARefusedRegAreRefused() throws {
        let harness = try refused()
        let effects = harness.receive(#"{"cmd":"sendlog","sn":"REFUSE000001","count":1,"record":[{"#)
        #expect(effects.batches.isEmpty)
        #expect(effects.sentTexts == [#"{"ret":"sendlog","result":false,"reason":"Not here"}"#])
    }

    @Test func aLaterAcceptedRegLetsRecordsInAgain() throws {
        let harness = try refused()
        guard case .registration(let registration)? = harness.receive(SiteRulesRefusalTests.reg).questions.first
        else { throw HarnessError.noQuestion }
        let accepted = harness.session.registrationDecided(registration, verdict: nil)
        #expect(accepted.registrations.count == 1)

        let effects = harness.receive(SiteRulesRefusalTests.sendlog)
        #expect(effects.batches.count == 1)
        #expect(effects.questions.count == 1)
    }
}
