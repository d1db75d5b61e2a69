import Testing
@testable import CatracaServer

@Suite struct BufferBudgetTests {
    @Test func underTheLimitNothingPauses() {
        let budget = BufferBudget(limit: 1000, reserve: 0)
        var paused = false
        budget.update(id: 1, bytes: 600, pause: { paused = true }, resume: {})
        budget.update(id: 2, bytes: 300, pause: { paused = true }, resume: {})
        #expect(!paused)
        #expect(budget.total == 900)
    }

    @Test func pastTheLimitTheGrowingSmallerConnectionPausesAndTheLargestGoesOn() {
        let budget = BufferBudget(limit: 1000, reserve: 0)
        var pausedIDs: [Int] = []
        budget.update(id: 1, bytes: 800, pause: { pausedIDs.append(1) }, resume: {})
        budget.update(id: 2, bytes: 300, pause: { pausedIDs.append(2) }, resume: {})
        // The largest holder may finish its message even though the total is over the limit.
        budget.update(id: 1, bytes: 900, pause: { pausedIDs.append(1) }, resume: {})

        #expect(pausedIDs == [2])
        #expect(budget.pausedCount == 1)
    }

    @Test func readingResumesOnceTheTotalFallsBelowThreeQuarters() {
        let budget = BufferBudget(limit: 1000, reserve: 0)
        var resumed = false
        budget.update(id: 1, bytes: 900, pause: {}, resume: {})
        budget.update(id: 2, bytes: 200, pause: {}, resume: { resumed = true })
        #expect(budget.pausedCount == 1)

        budget.update(id: 1, bytes: 600, pause: {}, resume: {})
        #expect(!resumed, "800 bytes is still above three quarters of the limit")

        budget.remove(id: 1)
        #expect(resumed)
        #expect(budget.pausedCount == 0)
        #expect(budget.total == 200)
    }
}

@Suite struct BufferBudgetProgressTests {
    @Test func whenTheLargestFinishesThePausedConnectionNowLargestResumesAlone() {
        let budget = BufferBudget(limit: 1000, reserve: 0)
        var resumed: [Int] = []
        budget.update(id: 1, bytes: 500, pause: {}, resume: { resumed.append(1) })
        budget.update(id: 2, bytes: 400, pause: {}, resume: { resumed.append(2) })
        budget.update(id: 3, bytes: 400, pause: {}, resume: { resumed.append(3) })
        #expect(budget.pausedCount == 1, "3 grew past the limit and is not the largest")
        budget.update(id: 2, bytes: 450, pause: {}, resume: { resumed.append(2) })
        #expect(budget.pausedCount == 2)

        // 1 delivers its message: 850 bytes are left, still above three quarters of the limit.
        budget.update(id: 1, bytes: 0, pause: {}, resume: {})

        #expect(resumed == [2], "the largest paused share goes on so that memory is freed")
        #expect(budget.pausedCount == 1)
    }
}

@Suite struct BufferBudgetReserveTests {
    @Test func aConnectionWithinItsReserveKeepsReadingWhileTheBudgetIsFull() {
        let budget = BufferBudget(limit: 1000, reserve: 100)
        var paused: [Int] = []
        budget.update(id: 1, bytes: 900, pause: { paused.append(1) }, resume: {})
        budget.update(id: 2, bytes: 800, pause: { paused.append(2) }, resume: {})
        budget.update(id: 3, bytes: 90, pause: { paused.append(3) }, resume: {})

        #expect(paused == [2], "3 holds less than its reserve")
    }

    @Test func aPausedConnectionWhoseShareFallsWithinItsReserveResumes() {
        let budget = BufferBudget(limit: 1000, reserve: 100)
        var resumed = false
        budget.update(id: 1, bytes: 900, pause: {}, resume: {})
        budget.update(id: 2, bytes: 300, pause: {}, resume: { resumed = true })
        #expect(budget.pausedCount == 1)

        // Its records were stored: the share it held for them is gone.
        budget.update(id: 2, bytes: 50, pause: {}, resume: {})

        #expect(resumed)
        #expect(budget.pausedCount == 0)
    }
}
