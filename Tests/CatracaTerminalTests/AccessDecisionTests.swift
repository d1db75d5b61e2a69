import CatracaCore
import Foundation
import Testing
@testable import CatracaTerminal

/// Sessions whose site decides access: registrations, records and QR codes wait for the site's rules.
@Suite struct AccessDecisionTests {
    private let sendlog = #"{"cmd":"sendlog","sn":"ABCD12345678","count":1,"logindex":4,"#
        + #""record":[{"enrollid":12,"time":"2023-12-23 13:49:30","mode":8,"inout":0,"event":0}]}"#

    private func registered() -> SessionHarness {
        let harness = SessionHarness(ackMessage: "Welcome", decidesAccess: true)
        let effects = harness.receive(#"{"cmd":"reg","sn":"ABCD12345678"}"#)
        guard case .registration(let registration)? = effects.questions.first else { return harness }
        _ = harness.session.registrationDecided(registration, verdict: nil)
        return harness
    }

    @Test func theAcknowledgementWaitsForTheStoreAndTheVerdictAndCarriesIt() throws {
        let harness = registered()
        let effects = harness.receive(sendlog)
        let batch = try #require(effects.batches.first)
        #expect(effects.questions == [.records(batchID: batch.id, records: batch.records)])

        #expect(harness.session.batchStored(id: batch.id, outcome: storedOutcome).isEmpty)
        let verdict = AccessVerdict(access: false, message: "Outside your hours", fontsize: 32, textColor: 0xFF0000)
        let ack = harness.session.recordsDecided(batchID: batch.id, verdict: verdict)
        #expect(ack.sentTexts == [#"{"ret":"sendlog","result":true,"count":1,"logindex":4,"#
            + #""cloudtime":"2023-12-23 13:49:30","access":0,"message":"Outside your hours","fontsize":32,"#
            + #""text_color":[255,0,0]}"#])
    }

    @Test func aVerdictBeforeTheCommitStillWaitsForIt() throws {
        let harness = registered()
        let batch = try #require(harness.receive(sendlog).batches.first)
        #expect(harness.session.recordsDecided(batchID: batch.id, verdict: nil).isEmpty)
        let ack = harness.session.batchStored(id: batch.id, outcome: storedOutcome)
        #expect(ack.sentTexts.first?.contains(#""access":1,"message":"Welcome""#) == true)
    }

    @Test func aBatchThatCannotBeStoredIsNotAcknowledgedWhateverTheVerdict() throws {
        let harness = registered()
        let batch = try #require(harness.receive(sendlog).batches.first)
        #expect(harness.session.batchFailed(id: batch.id, error: StoreFailure()).isEmpty)
        #expect(harness.session.recordsDecided(batchID: batch.id, verdict: AccessVerdict(access: true)).isEmpty)
    }

    @Test func aRefusedRegistrationShowsTheRulesReasonAndClaimsNothing() throws {
        let harness = SessionHarness(decidesAccess: true)
        let effects = harness.receive(#"{"cmd":"reg","sn":"ABCD12345678"}"#)
        guard case .registration(let registration)? = effects.questions.first else {
            Issue.record("no registration question in \(effects)")
            return
        }
        let answer = harness.session.registrationDecided(registration,
                                                         verdict: AccessVerdict(access: false, message: "Not today"))
        #expect(answer.sentTexts == [#"{"ret":"reg","result":false,"reason":"Not today"}"#])
        #expect(answer.registrations.isEmpty)
        #expect(harness.session.serialNumber == nil)
    }

    @Test func aQRCodeIsAnsweredWithTheVerdictInEitherSpelling() throws {
        let harness = registered()
        for name in ["sendqrcode", "sendqgrcode"] {
            let effects = harness.receive(#"{"cmd":"\#(name)","sn":"ABCD12345678","record":"V-1"}"#)
            guard case .qrcode(let id, let sn, let code)? = effects.questions.first else {
                Issue.record("no QR code question in \(effects)")
                return
            }
            #expect(sn == "ABCD12345678" && code == "V-1")
            let verdict = AccessVerdict(access: true, message: "Welcome", enrollid: 10, username: "Ana")
            #expect(harness.session.qrcodeDecided(id: id, verdict: verdict).sentTexts == [
                #"{"ret":"sendqrcode","sn":"ABCD12345678","result":true,"access":1,"enrollid":10,"#
                    + #""username":"Ana","message":"Welcome"}"#,
            ])
        }
    }

    @Test func aQRCodeWithoutACodeIsRefused() {
        let harness = registered()
        let effects = harness.receive(#"{"cmd":"sendqrcode","sn":"ABCD12345678"}"#)
        #expect(effects.sentTexts == [#"{"ret":"sendqrcode","result":false,"reason":"No QR code"}"#])
    }
}
