import CatracaCore
import CatracaPlugins
import Testing

@Suite struct ResendMemoryTests {
    @Test func aResendWithinTheLifetimeGetsTheFirstAnswer() {
        let clock = ManualTimeSource()
        var memory = ResendMemory<String, Int>(lifetime: .seconds(10))
        memory.remember("AB12/code-1", 1, now: clock.now)
        clock.advance(by: .seconds(9.9))
        #expect(memory.recall("AB12/code-1", now: clock.now) == 1)
        #expect(memory.recall("AB12/code-2", now: clock.now) == nil)
    }

    @Test func anAnswerIsForgottenOnceItsLifetimeHasPassed() {
        let clock = ManualTimeSource()
        var memory = ResendMemory<String, Int>(lifetime: .seconds(10))
        memory.remember("a", 1, now: clock.now)
        clock.advance(by: .seconds(10))
        #expect(memory.recall("a", now: clock.now) == nil)
        #expect(memory.count == 0)
    }

    @Test func rememberingAgainRestartsTheLifetime() {
        let clock = ManualTimeSource()
        var memory = ResendMemory<String, Int>(lifetime: .seconds(10))
        memory.remember("a", 1, now: clock.now)
        clock.advance(by: .seconds(6))
        memory.remember("a", 2, now: clock.now)
        clock.advance(by: .seconds(6))
        #expect(memory.recall("a", now: clock.now) == 2)
    }

    @Test func theOldestLeaveFirstPastTheCapacity() {
        let clock = ManualTimeSource()
        var memory = ResendMemory<Int, Int>(lifetime: .seconds(60), capacity: 3)
        for key in 1...5 {
            memory.remember(key, key * 10, now: clock.now)
            clock.advance(by: .seconds(1))
        }
        #expect(memory.count == 3)
        #expect(memory.recall(1, now: clock.now) == nil)
        #expect(memory.recall(2, now: clock.now) == nil)
        #expect(memory.recall(5, now: clock.now) == 50)
    }
}
