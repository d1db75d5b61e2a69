import CatracaCore
import Testing
@testable import CatracaTurnstile

/// Turnstile `pass` has in direction B and a TurnstilePass terminal on its entry side.
@Suite struct TurnstilePassTests {
    @Test func aTurnedRecordWithoutAGPIOTurnIsAPassageByItselfAfterTheGrace() throws {
        let site = try JoinerHarness()
        let report = try #require(site.record(sn: TestSite.turnstilePassTerminal, enrollid: 42, inOut: 5))
        #expect(site.passages.isEmpty, "GPIO may still deliver the turn")
        site.wait(seconds: 1.5)

        let passage = try #require(site.passages.first)
        #expect(site.passages.count == 1)
        #expect(passage.outcome == .turnedB)
        #expect(passage.grant == report)
        #expect(passage.rotation == nil)
        #expect(passage.side == .entry)
        #expect(site.joiner.isIdle)
    }

    @Test func aNotTurnedRecordIsANotTurnedPassageAtOnce() throws {
        let site = try JoinerHarness()
        let report = try #require(site.record(sn: TestSite.turnstilePassTerminal, enrollid: 42, inOut: 7))

        #expect(site.outcomes == [.notTurned])
        #expect(site.passages.first?.grant == report)
        #expect(site.joiner.isIdle, "it opens no window")
    }

    @Test func aRecordAfterItsGPIOTurnIsOnePassageEvenPastTheGrace() throws {
        let site = try JoinerHarness()
        let rotation = site.turn(.b, at: "pass")
        site.wait(seconds: 4)
        #expect(site.passages.isEmpty, "held for the record")
        let report = try #require(site.record(sn: TestSite.turnstilePassTerminal, enrollid: 42, inOut: 5))
        site.wait(seconds: 20)

        #expect(site.outcomes == [.turnedB])
        #expect(site.passages.first?.grant == report)
        #expect(site.passages.first?.rotation == rotation)
    }

    @Test func aRecordBeforeItsGPIOTurnIsOnePassage() throws {
        let site = try JoinerHarness()
        let report = try #require(site.record(sn: TestSite.turnstilePassTerminal, enrollid: 42, inOut: 6))
        site.wait(.milliseconds(200))
        let rotation = site.turn(.a, at: "pass")
        site.wait(seconds: 20)

        #expect(site.outcomes == [.turnedA])
        #expect(site.passages.first?.grant == report)
        #expect(site.passages.first?.rotation == rotation)
        #expect(site.passages.first?.side == .exit)
    }

    @Test func aRecordClaimsOnlyATurnOfItsDirection() throws {
        let site = try JoinerHarness()
        let rotation = site.turn(.a, at: "pass")
        site.wait(seconds: 1)
        site.record(sn: TestSite.turnstilePassTerminal, enrollid: 42, inOut: 5)
        site.wait(seconds: 20)

        #expect(Set(site.outcomes) == [.turnedB, .unauthorisedRotation])
        #expect(site.passages.first { $0.outcome == .unauthorisedRotation }?.rotation == rotation)
    }

    @Test func aHeldTurnNoRecordClaimsIsAnUnauthorisedRotationWhenTheWindowRunsOut() throws {
        let site = try JoinerHarness()
        let rotation = site.turn(.b, at: "pass")
        site.wait(seconds: 9.9)
        #expect(site.passages.isEmpty)
        site.wait(seconds: 0.1)

        #expect(site.outcomes == [.unauthorisedRotation])
        #expect(site.passages.first?.closedAt == rotation.roseAt + .seconds(10))
    }

    @Test func aTurnFromBeforeTheWindowIsNotClaimedByALateRecord() throws {
        let site = try JoinerHarness(configuration: try JoinerConfiguration(window: .seconds(4)))
        site.turn(.b, at: "pass")
        site.clock.advance(by: .seconds(5))
        site.record(sn: TestSite.turnstilePassTerminal, enrollid: 42, inOut: 5)
        site.wait(seconds: 2)

        #expect(site.outcomes == [.unauthorisedRotation, .turnedB])
        #expect(site.passages.last?.rotation == nil)
    }

    @Test func aHeldTurnIsNotGivenToAnOpenGrantForTheOtherSideButToItsRecord() throws {
        let site = try JoinerHarness()
        let openDoor = Grant(turnstile: "pass", kind: .openDoor, side: .exit, arrivedAt: site.clock.now, grantID: 90)
        site.feed(openDoor)
        let rotation = site.turn(.b, at: "pass")
        site.wait(seconds: 3)
        let report = try #require(site.record(sn: TestSite.turnstilePassTerminal, enrollid: 42, inOut: 5))
        site.wait(seconds: 20)

        #expect(site.outcomes == [.turnedB, .notTurned])
        #expect(site.passages.first?.grant == report)
        #expect(site.passages.first?.rotation == rotation)
        #expect(site.passages.last?.grant == openDoor)
    }
}
