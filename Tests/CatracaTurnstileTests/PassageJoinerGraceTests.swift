import CatracaCore
import Testing
@testable import CatracaTurnstile

@Suite struct PassageJoinerGraceTests {
    @Test func aTurnNoGrantExplainsIsAnUnauthorisedRotationAfterTheGrace() throws {
        let site = try JoinerHarness()
        let rotation = site.turn(.a)
        #expect(site.joiner.nextDeadline == rotation.roseAt + .milliseconds(1500))

        site.wait(seconds: 1.4)
        #expect(site.passages.isEmpty)
        site.wait(seconds: 0.1)

        let passage = try #require(site.passages.first)
        #expect(passage.outcome == .unauthorisedRotation)
        #expect(passage.grant == nil)
        #expect(passage.rotation == rotation)
        #expect(passage.direction == .a)
        #expect(passage.side == .entry)
        #expect(passage.closedAt == rotation.roseAt + .milliseconds(1500))
    }

    @Test func aLateGrantWithinTheGraceJoinsTheWaitingTurn() throws {
        let site = try JoinerHarness()
        let rotation = site.turn(.a)
        site.wait(seconds: 1.2)
        let grant = try #require(site.record(sn: TestSite.entryTerminal, enrollid: 42))

        #expect(site.outcomes == [.turnedA])
        #expect(site.passages.first?.grant == grant)
        #expect(site.passages.first?.rotation == rotation)
        #expect(site.joiner.isIdle, "the late grant opens no window of its own")
    }

    @Test func aGrantAfterTheGraceOpensItsOwnWindow() throws {
        let site = try JoinerHarness()
        site.turn(.a)
        site.wait(seconds: 2)
        site.record(sn: TestSite.entryTerminal, enrollid: 42)
        site.wait(seconds: 10)

        #expect(site.outcomes == [.unauthorisedRotation, .notTurned])
    }

    @Test func aLateGrantTakesTheWaitingTurnTowardsItsSideFirst() throws {
        let site = try JoinerHarness()
        let towardsExit = site.turn(.b)
        site.wait(seconds: 0.5)
        let towardsEntry = site.turn(.a)
        site.record(sn: TestSite.entryTerminal, enrollid: 42)
        site.wait(seconds: 2)

        #expect(site.passages.map(\.rotation) == [towardsEntry, towardsExit])
        #expect(site.outcomes == [.turnedA, .unauthorisedRotation])
    }

    @Test func aBatchOfLateGrantsJoinsTheWaitingTurnsInOrder() throws {
        let site = try JoinerHarness()
        let firstTurn = site.turn(.a)
        site.wait(seconds: 0.5)
        let secondTurn = site.turn(.a)
        site.wait(seconds: 0.5)
        let first = try #require(site.record(sn: TestSite.entryTerminal, enrollid: 1))
        let second = try #require(site.record(sn: TestSite.entryTerminal, enrollid: 2))

        #expect(site.passages.map(\.grant) == [first, second])
        #expect(site.passages.map(\.rotation) == [firstTurn, secondTurn])
    }
}
