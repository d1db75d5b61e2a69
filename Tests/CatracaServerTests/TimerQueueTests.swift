import CatracaCore
import Testing
@testable import CatracaServer

@Suite struct TimerQueueTests {
    @Test func dueTimersRunEarliestFirstAndLaterOnesWait() {
        var queue = TimerQueue()
        var fired: [String] = []
        _ = queue.schedule(at: Instant(nanoseconds: 30)) { fired.append("c") }
        _ = queue.schedule(at: Instant(nanoseconds: 10)) { fired.append("a") }
        _ = queue.schedule(at: Instant(nanoseconds: 20)) { fired.append("b") }
        _ = queue.schedule(at: Instant(nanoseconds: 40)) { fired.append("d") }

        for action in queue.takeDue(now: Instant(nanoseconds: 30)) { action() }

        #expect(fired == ["a", "b", "c"])
        #expect(queue.earliestDeadline() == Instant(nanoseconds: 40))
    }

    @Test func aCancelledTimerNeverRunsAndDoesNotHoldTheEarliestDeadline() {
        var queue = TimerQueue()
        var fired = false
        let early = queue.schedule(at: Instant(nanoseconds: 5)) { fired = true }
        _ = queue.schedule(at: Instant(nanoseconds: 50)) {}

        queue.cancel(early)

        #expect(queue.earliestDeadline() == Instant(nanoseconds: 50))
        for action in queue.takeDue(now: Instant(nanoseconds: 100)) { action() }
        #expect(!fired)
        #expect(queue.isEmpty)
    }
}
