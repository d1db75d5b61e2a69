import Testing

@testable import CatracaMQTT

@Suite struct ReconnectBackoffTests {
    @Test func theWaitDoublesAfterEachFailureUpToTheMaximum() {
        var backoff = ReconnectBackoff(minimumSeconds: 1, maximumSeconds: 10)

        let ceilings = (0..<6).map { _ in backoff.delayAfterFailure(random: 1) }

        #expect(ceilings == [1, 2, 4, 8, 10, 10])
    }

    @Test func theWaitIsSpreadOverTheUpperHalfOfItsCeiling() {
        var low = ReconnectBackoff(minimumSeconds: 4, maximumSeconds: 60)
        var high = ReconnectBackoff(minimumSeconds: 4, maximumSeconds: 60)

        #expect(low.delayAfterFailure(random: 0) == 2)
        #expect(high.delayAfterFailure(random: 0.5) == 3)
    }

    @Test func anAcceptedConnectionStartsTheWaitsOverFromTheMinimum() {
        var backoff = ReconnectBackoff(minimumSeconds: 1, maximumSeconds: 60)
        for _ in 0..<5 { _ = backoff.delayAfterFailure(random: 1) }

        backoff.reset()

        #expect(backoff.delayAfterFailure(random: 1) == 1)
    }

    @Test func manyFailuresNeverOverflow() {
        var backoff = ReconnectBackoff(minimumSeconds: 1, maximumSeconds: 60)
        for _ in 0..<100 { _ = backoff.delayAfterFailure(random: 1) }

        #expect(backoff.delayAfterFailure(random: 1) == 60)
    }
}
