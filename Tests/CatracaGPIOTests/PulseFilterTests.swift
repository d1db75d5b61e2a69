import CatracaCore
import Testing
@testable import CatracaGPIO

/// Drives the filter with edges and a fake clock: instants are milliseconds from zero.
struct FilterHarness {
    var filter: PulseFilter
    var events: [PulseFilterEvent] = []

    init(_ settings: PulseFilterSettings = .default) {
        filter = PulseFilter(settings: settings)
    }

    mutating func fall(_ line: TurnstileLine, _ milliseconds: Int64) {
        events += filter.handle(LineEdge(line: line, kind: .activated, at: ms(milliseconds)))
    }

    mutating func rise(_ line: TurnstileLine, _ milliseconds: Int64) {
        events += filter.handle(LineEdge(line: line, kind: .released, at: ms(milliseconds)))
    }

    mutating func advance(to milliseconds: Int64, plusNanoseconds extra: Int64 = 0) {
        events += filter.advance(to: ms(milliseconds) + TimeSpan(nanoseconds: extra))
    }
}

func ms(_ value: Int64) -> Instant { Instant(nanoseconds: UInt64(value) * 1_000_000) }

func pulse(_ line: TurnstileLine, _ fell: Int64, _ rose: Int64) -> PulseFilterEvent {
    .pulse(Pulse(line: line, fellAt: ms(fell), roseAt: ms(rose)))
}

@Suite struct PulseFilterTests {
    @Test func aCleanPulseIsReportedOnceTheDebounceTimeAfterItsRisingEdgeHasPassed() {
        var harness = FilterHarness()
        harness.fall(.fireIn, 1_000)
        harness.rise(.fireIn, 1_100)

        harness.advance(to: 1_104)
        #expect(harness.events.isEmpty)

        harness.advance(to: 1_105)
        #expect(harness.events == [pulse(.fireIn, 1_000, 1_100)])
        #expect(harness.filter.nextDeadline == nil)
    }

    @Test func bounceAtBothEndsOfAPulseMakesOnePulseFromTheFirstFallToTheLastRise() {
        var harness = FilterHarness()
        for (fall, rise) in [(0, 1), (2, 3), (4, 100), (101, 102)] as [(Int64, Int64)] {
            harness.fall(.fireIn, fall)
            harness.rise(.fireIn, rise)
        }
        harness.advance(to: 200)

        #expect(harness.events == [pulse(.fireIn, 0, 102)])
        #expect(harness.filter.bounces == 3)
    }

    @Test func aGapLongerThanTheDebounceSplitsTwoPulses() {
        var harness = FilterHarness()
        harness.fall(.exitButton, 0)
        harness.rise(.exitButton, 50)
        harness.fall(.exitButton, 56)
        harness.rise(.exitButton, 120)
        harness.advance(to: 500)

        #expect(harness.events == [pulse(.exitButton, 0, 50), pulse(.exitButton, 56, 120)])
        #expect(harness.filter.bounces == 0)
    }

    @Test func spikesShorterThanTheMinimumPulseAreNoiseNotTurns() {
        var harness = FilterHarness()
        harness.fall(.fireIn, 0)
        harness.rise(.fireIn, 3)
        harness.fall(.fireIn, 500)
        harness.rise(.fireIn, 519)
        harness.fall(.fireIn, 1_000)
        harness.rise(.fireIn, 1_020)
        harness.advance(to: 2_000)

        #expect(harness.events == [
            .spike(line: .fireIn, fellAt: ms(0), width: .milliseconds(3)),
            .spike(line: .fireIn, fellAt: ms(500), width: .milliseconds(19)),
            pulse(.fireIn, 1_000, 1_020),
        ])
    }

    @Test func aLineHeldPastTheMaximumIsReportedStuckOnceAndItsReleaseIsNoTurn() {
        var harness = FilterHarness()
        harness.fall(.fireIn, 0)
        #expect(harness.filter.nextDeadline == ms(3_000) + TimeSpan(nanoseconds: 1))

        harness.advance(to: 3_000)
        #expect(harness.events.isEmpty)
        harness.advance(to: 3_000, plusNanoseconds: 1)
        harness.advance(to: 9_000)
        #expect(harness.events == [.stuck(line: .fireIn, since: ms(0))])

        harness.rise(.fireIn, 10_000)
        harness.advance(to: 10_005)
        #expect(harness.events == [
            .stuck(line: .fireIn, since: ms(0)),
            .unstuck(line: .fireIn, roseAt: ms(10_000), width: .milliseconds(10_000)),
        ])
    }

    @Test func aPulseOfExactlyTheMaximumIsATurn() {
        var harness = FilterHarness()
        harness.fall(.exitButton, 0)
        harness.rise(.exitButton, 3_000)
        harness.advance(to: 3_005)

        #expect(harness.events == [pulse(.exitButton, 0, 3_000)])
    }

    @Test func aLongPressReadOnlyAfterItEndedIsStillReportedStuckThenReleased() {
        var harness = FilterHarness()
        harness.fall(.exitButton, 0)
        harness.rise(.exitButton, 4_000)
        harness.advance(to: 4_005)

        #expect(harness.events == [
            .stuck(line: .exitButton, since: ms(0)),
            .unstuck(line: .exitButton, roseAt: ms(4_000), width: .milliseconds(4_000)),
        ])
    }

    @Test func interleavedLinesAreJudgedApartAndReportedInTheOrderTheyEnded() {
        var harness = FilterHarness()
        harness.fall(.fireIn, 0)
        harness.fall(.exitButton, 10)
        harness.fall(.exitButton, 11)
        harness.rise(.exitButton, 90)
        harness.rise(.fireIn, 100)
        harness.advance(to: 1_000)

        #expect(harness.events == [pulse(.exitButton, 10, 90), pulse(.fireIn, 0, 100)])
        #expect(harness.filter.repeatedEdges == 1)
    }

    @Test func pulsesEndingTogetherInOneLateAdvanceComeOutInRisingEdgeOrder() {
        var harness = FilterHarness()
        harness.fall(.exitButton, 0)
        harness.fall(.fireIn, 1)
        harness.rise(.fireIn, 60)
        harness.rise(.exitButton, 61)
        harness.advance(to: 5_000)

        #expect(harness.events == [pulse(.fireIn, 1, 60), pulse(.exitButton, 0, 61)])
    }

    @Test func kernelTimestampsAreKeptHoweverLateTheFilterIsAdvanced() {
        var harness = FilterHarness()
        let fell = Instant(nanoseconds: 123_456_789_012)
        let rose = Instant(nanoseconds: 123_556_789_345)
        _ = harness.filter.handle(LineEdge(line: .fireIn, kind: .activated, at: fell))
        _ = harness.filter.handle(LineEdge(line: .fireIn, kind: .released, at: rose))

        let events = harness.filter.advance(to: Instant(nanoseconds: 900_000_000_000))

        #expect(events == [.pulse(Pulse(line: .fireIn, fellAt: fell, roseAt: rose))])
    }

    @Test func repeatedEdgesOfTheSameKindDoNotInventOrLosePulses() {
        var harness = FilterHarness()
        harness.rise(.fireIn, 0)
        harness.fall(.fireIn, 10)
        harness.fall(.fireIn, 40)
        harness.rise(.fireIn, 80)
        harness.rise(.fireIn, 81)
        harness.advance(to: 200)

        #expect(harness.events == [pulse(.fireIn, 10, 80)])
        #expect(harness.filter.repeatedEdges == 3)
    }

    @Test func withNoDebounceAPulseIsReportedAtItsRisingEdge() {
        var harness = FilterHarness(PulseFilterSettings(debounce: .zero, minPulse: .zero))
        harness.fall(.fireIn, 0)
        harness.rise(.fireIn, 1)
        harness.advance(to: 1)

        #expect(harness.events == [pulse(.fireIn, 0, 1)])
    }

    @Test func settingsThatCannotWorkAreNamed() {
        #expect(PulseFilterSettings.default.problem == nil)
        #expect(PulseFilterSettings(minPulse: .milliseconds(50), maxPulse: .milliseconds(50)).problem != nil)
        #expect(PulseFilterSettings(debounce: .milliseconds(-1)).problem != nil)
    }
}
