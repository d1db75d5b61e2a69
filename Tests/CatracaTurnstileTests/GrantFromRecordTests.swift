import CatracaCore
import CatracaTerminal
import Testing
@testable import CatracaTurnstile

@Suite struct GrantFromRecordTests {
    let layout: TurnstileLayout
    let now = Instant(nanoseconds: 5_000_000_000)

    init() throws { layout = try TestSite.layout() }

    @Test func aVerifiedKnownPersonOnAPlacedTerminalIsAGrantForItsTurnstileAndSide() throws {
        let record = TestSite.record(sn: TestSite.exitTerminal, enrollid: 42)
        let grant = try #require(Grant.from(record: record, layout: layout, arrivedAt: now, recordID: 7))
        #expect(grant.turnstile == "main")
        #expect(grant.side == .exit)
        #expect(grant.kind == .record)
        #expect(grant.enrollid == 42)
        #expect(grant.record == record.identity)
        #expect(grant.arrivedAt == now)
        #expect(grant.grantID == 7)
        #expect(grant.turnstilePassReport == nil)
    }

    @Test func anUnknownFaceADoorEventAndAFailedVerificationAreNoGrant() {
        let unknownFace = TestSite.record(sn: TestSite.entryTerminal, enrollid: 99_999_999, event: 2)
        let unknownFaceEventZero = TestSite.record(sn: TestSite.entryTerminal, enrollid: 99_999_999)
        let doorEvent = TestSite.record(sn: TestSite.entryTerminal, enrollid: 0)
        let refused = TestSite.record(sn: TestSite.entryTerminal, enrollid: 42, event: 1)
        for record in [unknownFace, unknownFaceEventZero, doorEvent, refused] {
            #expect(Grant.from(record: record, layout: layout, arrivedAt: now) == nil)
        }
    }

    @Test func aRecordFromATerminalAtNoTurnstileIsNoGrant() {
        let record = TestSite.record(sn: TestSite.unplacedTerminal, enrollid: 42)
        #expect(Grant.from(record: record, layout: layout, arrivedAt: now) == nil)
        #expect(Grant.serverAllow(record: record, layout: layout, arrivedAt: now) == nil)
    }

    @Test func aServerAllowIsAGrantWhateverTheRecordSays() throws {
        let record = TestSite.record(sn: TestSite.entryTerminal, enrollid: 99_999_999, event: 2)
        let grant = try #require(Grant.serverAllow(record: record, layout: layout, arrivedAt: now))
        #expect(grant.kind == .serverAllow)
        #expect(grant.side == .entry)
    }

    @Test func turnstilePassInOutValuesAreReports() throws {
        let reports = [5, 6, 7, 0, 1].map { inOut in
            Grant.from(record: TestSite.record(sn: TestSite.turnstilePassTerminal, enrollid: 1, inOut: inOut),
                       layout: layout, arrivedAt: now)?.turnstilePassReport
        }
        #expect(reports == [.turned(.b), .turned(.a), .notTurned, nil, nil])
    }

    @Test func aPlacementAtAnUnknownTurnstileIsRefusedWithTheTerminalNamed() {
        #expect(throws: TurnstileLayoutError.placementAtUnknownTurnstile(sn: "X1", turnstile: "side")) {
            try TurnstileLayout(inDirections: ["main": .a],
                                placements: ["X1": TerminalPlacement(turnstile: "side", side: .entry)])
        }
    }

    @Test func aSpanThatIsNotPositiveIsRefusedWithTheSettingNamed() {
        #expect(throws: JoinerConfigurationError.notPositive(setting: "rotationGrace", value: .zero)) {
            try JoinerConfiguration(rotationGrace: .zero)
        }
        #expect(JoinerConfiguration.defaults.window == .seconds(10))
        #expect(JoinerConfiguration.defaults.rotationGrace == .milliseconds(1500))
        #expect(JoinerConfiguration.defaults.bounceGuard == .milliseconds(300))
    }
}

@Suite struct GrantFromQRCodeTests {
    @Test func anAcceptedQRCodeAtAPlacedTerminalIsAServerAllowGrantForItsSide() throws {
        let layout = try TestSite.layout()
        let now = Instant(nanoseconds: 9_000_000_000)
        let grant = try #require(Grant.serverAllow(qrcodeAt: TestSite.entryTerminal, enrollid: 5001, layout: layout,
                                                   arrivedAt: now))
        #expect(grant.kind == .serverAllow)
        #expect(grant.turnstile == "main" && grant.side == .entry)
        #expect(grant.sn == TestSite.entryTerminal && grant.enrollid == 5001)
        #expect(grant.record == nil && grant.grantID == nil && grant.arrivedAt == now)
    }

    @Test func aQRCodeAtAnUnplacedTerminalIsNoGrant() throws {
        let layout = try TestSite.layout()
        #expect(Grant.serverAllow(qrcodeAt: TestSite.unplacedTerminal, enrollid: nil, layout: layout,
                                  arrivedAt: .zero) == nil)
    }
}
