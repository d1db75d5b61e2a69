import CatracaCore
import Testing
@testable import CatracaTurnstile

@Suite struct PassageJoinerWindowTests {
    @Test func aGrantThenATurnInItsWindowIsOnePassageTurnedThatWay() throws {
        let site = try JoinerHarness()
        let grant = try #require(site.record(sn: TestSite.entryTerminal, enrollid: 42))
        site.wait(seconds: 2)
        let rotation = site.turn(.a)

        let passage = try #require(site.passages.first)
        #expect(site.passages.count == 1)
        #expect(passage.outcome == .turnedA)
        #expect(passage.grant == grant)
        #expect(passage.rotation == rotation)
        #expect(passage.direction == .a)
        #expect(passage.side == .entry)
        #expect(!passage.turnedAgainstGrant)
        #expect(passage.closedAt == rotation.roseAt)
        #expect(site.joiner.isIdle)
        #expect(site.joiner.nextDeadline == nil)
    }

    @Test func aGrantWithoutATurnClosesAsNotTurnedWhenItsWindowRunsOut() throws {
        let site = try JoinerHarness()
        let grant = try #require(site.record(sn: TestSite.entryTerminal, enrollid: 42))
        #expect(site.joiner.nextDeadline == grant.arrivedAt + .seconds(10))

        site.wait(seconds: 9.9)
        #expect(site.passages.isEmpty)
        site.wait(seconds: 0.1)

        #expect(site.outcomes == [.notTurned])
        #expect(site.passages.first?.closedAt == grant.arrivedAt + .seconds(10))
        #expect(site.passages.first?.direction == nil)
        #expect(site.passages.first?.side == nil)
    }

    @Test func aTurnAfterTheWindowIsNotJoinedEvenWhenTheTimerWasLate() throws {
        let site = try JoinerHarness()
        site.record(sn: TestSite.entryTerminal, enrollid: 42)
        site.clock.advance(by: .seconds(11))
        site.turn(.a)

        #expect(site.outcomes == [.notTurned])
        site.wait(seconds: 2)
        #expect(site.outcomes == [.notTurned, .unauthorisedRotation])
    }

    @Test func aGrantOnTheExitTerminalJoinsATurnAndThePassageSaysExit() throws {
        let site = try JoinerHarness()
        site.record(sn: TestSite.exitTerminal, enrollid: 42)
        site.wait(seconds: 1)
        site.turn(.b)

        #expect(site.outcomes == [.turnedB])
        #expect(site.passages.first?.side == .exit)
        #expect(site.passages.first?.turnedAgainstGrant == false)
    }

    @Test func aTurnTheOtherWayFromTheGrantsSideIsJoinedAndFlagged() throws {
        let site = try JoinerHarness()
        site.record(sn: TestSite.entryTerminal, enrollid: 42)
        site.turn(.b)

        #expect(site.outcomes == [.turnedB])
        #expect(site.passages.first?.side == .exit)
        #expect(site.passages.first?.turnedAgainstGrant == true)
    }

    @Test func twoGrantsInARowTakeTwoTurnsInTheOrderTheyCame() throws {
        let site = try JoinerHarness()
        let first = try #require(site.record(sn: TestSite.entryTerminal, enrollid: 1))
        site.wait(seconds: 0.5)
        let second = try #require(site.record(sn: TestSite.entryTerminal, enrollid: 2))
        site.wait(seconds: 1)
        site.turn(.a)
        site.wait(seconds: 1.5)
        site.turn(.a)

        #expect(site.outcomes == [.turnedA, .turnedA])
        #expect(site.passages.map(\.grant) == [first, second])
        #expect(site.joiner.isIdle)
    }

    @Test func aQueuedGrantsWindowRunsFromItsOwnArrival() throws {
        let site = try JoinerHarness()
        site.record(sn: TestSite.entryTerminal, enrollid: 1)
        site.wait(seconds: 4)
        let second = try #require(site.record(sn: TestSite.entryTerminal, enrollid: 2))
        site.wait(seconds: 5)
        site.turn(.a)
        site.wait(seconds: 4.9)

        #expect(site.outcomes == [.turnedA])
        site.wait(seconds: 0.1)
        #expect(site.outcomes == [.turnedA, .notTurned])
        #expect(site.passages.last?.grant == second)
        #expect(site.passages.last?.closedAt == second.arrivedAt + .seconds(10))
    }

    @Test func peopleCrossingEachOtherAreEachGivenTheTurnTowardsTheirSide() throws {
        let site = try JoinerHarness()
        let entering = try #require(site.record(sn: TestSite.entryTerminal, enrollid: 1))
        let leaving = try #require(site.record(sn: TestSite.exitTerminal, enrollid: 2))
        site.wait(seconds: 1)
        site.turn(.b)
        site.wait(seconds: 1)
        site.turn(.a)

        #expect(site.passages.map(\.grant) == [leaving, entering])
        #expect(site.outcomes == [.turnedB, .turnedA])
        #expect(site.passages.allSatisfy { !$0.turnedAgainstGrant })
    }

    @Test func anOpenDoorGrantTakesATurnEitherWay() throws {
        let site = try JoinerHarness()
        let openDoor = Grant(turnstile: "main", kind: .openDoor, arrivedAt: site.clock.now, grantID: 99)
        site.feed(openDoor)
        site.turn(.b)

        #expect(site.passages.map(\.grant) == [openDoor])
        #expect(site.passages.first?.turnedAgainstGrant == false)
        #expect(site.passages.first?.side == .exit)
    }

    @Test func theSamePersonVerifiedAgainWhileTheirWindowIsOpenIsOneGrant() throws {
        let site = try JoinerHarness()
        let first = try #require(site.record(sn: TestSite.entryTerminal, enrollid: 42))
        var again: [Grant] = []
        for _ in 0..<5 {
            site.wait(seconds: 1)
            again.append(try #require(site.record(sn: TestSite.entryTerminal, enrollid: 42)))
        }
        site.wait(seconds: 9)
        #expect(site.passages.isEmpty, "each verification restarts the window")
        site.turn(.a)

        #expect(site.outcomes == [.turnedA])
        #expect(site.passages.first?.grant == first)
        #expect(site.passages.first?.reverifications == again)
        #expect(site.joiner.isIdle)
    }

    @Test func theSamePersonOnTheOtherTerminalOrAfterTheWindowIsANewGrant() throws {
        let site = try JoinerHarness()
        site.record(sn: TestSite.entryTerminal, enrollid: 42)
        site.record(sn: TestSite.exitTerminal, enrollid: 42)
        site.wait(seconds: 10)
        site.record(sn: TestSite.entryTerminal, enrollid: 42)
        site.wait(seconds: 10)

        #expect(site.outcomes == [.notTurned, .notTurned, .notTurned])
        #expect(site.passages.allSatisfy { $0.reverifications.isEmpty })
    }

    @Test func aSecondPulseOfTheSameDirectionWithinTheBounceGuardIsIgnored() throws {
        let site = try JoinerHarness()
        site.record(sn: TestSite.entryTerminal, enrollid: 1)
        site.record(sn: TestSite.entryTerminal, enrollid: 2)
        let counted = site.turn(.a)
        site.wait(.milliseconds(120))
        let bounce = site.turn(.a)

        #expect(site.effects.last == .ignoredRotation(bounce, .bounce))
        #expect(site.passages.map(\.rotation) == [counted])

        site.wait(.milliseconds(400))
        site.turn(.a)
        #expect(site.outcomes == [.turnedA, .turnedA], "a pulse past the guard is a second turn")
    }

    @Test func theBounceGuardDoesNotHoldBackATurnTheOtherWay() throws {
        let site = try JoinerHarness()
        site.record(sn: TestSite.entryTerminal, enrollid: 1)
        site.record(sn: TestSite.exitTerminal, enrollid: 2)
        site.turn(.a)
        site.turn(.b)

        #expect(site.outcomes == [.turnedA, .turnedB])
    }

    @Test func inputsForATurnstileTheSiteDoesNotHaveAreSetAsideNotCrashed() throws {
        let site = try JoinerHarness()
        let rotation = site.turn(.a, at: "garage")
        let grant = Grant(turnstile: "garage", kind: .openDoor, arrivedAt: site.clock.now, grantID: 50)
        site.feed(grant)

        #expect(site.effects == [.ignoredRotation(rotation, .unknownTurnstile),
                                 .ignoredGrant(grant, .unknownTurnstile)])
        #expect(site.joiner.isIdle)
        #expect(site.record(sn: TestSite.unplacedTerminal, enrollid: 42) == nil)
    }
}
