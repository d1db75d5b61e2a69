import CatracaPlugins
import CatracaTerminal
import Testing

@Suite struct DecisionCompositionTests {
    let composition = DecisionComposition(fallback: .deny, fallbackMessage: "Try again",
                                          unrecognisedQRCodeMessage: "Unknown QR code")

    @Test func theFirstRefusalInOrderWinsWithItsMessage() {
        let outcome = composition.compose([
            .decided(PluginDecision(access: .allow, message: "Welcome")),
            .decided(PluginDecision(access: .deny, message: "Outside your hours", fontsize: 24)),
            .decided(PluginDecision(access: .deny, message: "Building full")),
        ], hook: .record)
        #expect(outcome.verdict == AccessVerdict(access: false, message: "Outside your hours", fontsize: 24))
        #expect(!outcome.usedFallback)
    }

    @Test func allowingDecisionsGiveTheFirstMessageAndThePerson() {
        let outcome = composition.compose([
            .decided(.abstain),
            .decided(PluginDecision(access: .allow)),
            .decided(PluginDecision(access: .allow, message: "12 inside", textColor: 0x00FF00)),
            .decided(PluginDecision(access: .allow, enrollid: 42, username: "Ana")),
        ], hook: .qrcode)
        #expect(outcome.verdict == AccessVerdict(access: true, message: "12 inside", textColor: 0x00FF00, enrollid: 42,
                                                 username: "Ana"))
    }

    @Test func allAbstainingLeavesRecordsToTheSiteDefaultAndRefusesAQRCode() {
        #expect(composition.compose([.decided(.abstain)], hook: .record).verdict == nil)
        #expect(composition.compose([], hook: .register).verdict == nil)
        #expect(composition.compose([.decided(.abstain)], hook: .qrcode).verdict
            == AccessVerdict(access: false, message: "Unknown QR code"))
    }

    @Test func aFailedCallTakesTheFallbackAtItsPlace() {
        let answers: [PluginAnswer] = [.failed(reason: "deadline"),
                                       .decided(PluginDecision(access: .deny, message: "No"))]
        let denying = composition.compose(answers, hook: .record)
        #expect(denying.verdict == AccessVerdict(access: false, message: "Try again"))
        #expect(denying.usedFallback)

        var allowing = composition
        allowing.fallback = .allow
        #expect(allowing.compose(answers, hook: .record).verdict == AccessVerdict(access: false, message: "No"))
        #expect(allowing.compose([.failed(reason: "crash")], hook: .record).verdict == AccessVerdict(access: true))
    }

    @Test func severalRecordsCombineFirstRefusalElseNewest() {
        let allowed = AccessVerdict(access: true, message: "Hello")
        let newest = AccessVerdict(access: true, message: "Bye")
        let refused = AccessVerdict(access: false, message: "No")
        #expect(DecisionComposition.combine([allowed, nil, newest]) == newest)
        #expect(DecisionComposition.combine([allowed, refused, newest]) == refused)
        #expect(DecisionComposition.combine([nil, nil]) == nil)
    }
}

@Suite struct PluginFontSizeTests {
    @Test func aFontSizeOutsideTheProtocolsListIsClampedToTheNearestOne() {
        #expect(PluginDecision(access: .deny, fontsize: 99_999).fontsize == 40)
        #expect(PluginDecision(access: .deny, fontsize: 1).fontsize == 10)
        #expect(PluginDecision(access: .deny, fontsize: -5).fontsize == 10)
        #expect(PluginDecision(access: .deny, fontsize: 30).fontsize == 28)  // 28 and 32 as near: the smaller
        #expect(PluginDecision(access: .deny, fontsize: 31).fontsize == 32)
        #expect(PluginDecision(access: .deny, fontsize: 24).fontsize == 24)
        #expect(PluginDecision(access: .deny, fontsize: Int.min).fontsize == 10)
    }

    @Test func theWireFormIsClampedToo() {
        let decision = PluginDecision(json: ["access": 0, "fontsize": .integer(Int.max)])
        #expect(decision?.fontsize == 40)
        #expect(PluginDecision(json: ["access": 0, "fontsize": 0])?.fontsize == nil)
    }
}
