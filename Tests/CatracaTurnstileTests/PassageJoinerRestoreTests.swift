import CatracaCore
import Testing
@testable import CatracaTurnstile

@Suite struct PassageJoinerRestoreTests {
    let layout: TurnstileLayout
    /// Soon after a reboot: the monotonic clock is younger than the ages the store measured.
    let restart = Instant(nanoseconds: 3_000_000_000)

    init() throws { layout = try TestSite.layout() }

    func grant(_ sn: String = TestSite.entryTerminal, enrollid: Int64 = 42, id: Int64) -> Grant {
        // The Instant from before the restart is meaningless now; restore must go by the age alone.
        Grant(turnstile: "main", kind: .record, sn: sn, side: sn == TestSite.exitTerminal ? .exit : .entry,
              enrollid: enrollid, arrivedAt: Instant(nanoseconds: 987_654_321_000), grantID: id)
    }

    func rotation(_ direction: Direction, id: Int64) -> Rotation {
        Rotation(turnstile: "main", direction: direction, fellAt: Instant(nanoseconds: 555_000_000_000),
                 roseAt: Instant(nanoseconds: 555_080_000_000), rotationID: id)
    }

    func passages(_ effects: [JoinerEffect]) -> [Passage] {
        effects.compactMap { if case .passage(let passage) = $0 { return passage } else { return nil } }
    }

    @Test func aGrantRestoredInsideItsWindowKeepsTheRestOfIt() {
        var joiner = PassageJoiner(layout: layout)
        let open = grant(id: 1)
        let effects = joiner.restore(openGrants: [(open, .seconds(4))], waitingRotations: [], now: restart)

        #expect(effects.isEmpty)
        #expect(joiner.nextDeadline == restart + .seconds(6))

        let turn = Rotation(turnstile: "main", direction: .a, fellAt: restart + .seconds(3),
                            roseAt: restart + .seconds(3.08), rotationID: 2)
        let joined = passages(joiner.rotation(turn))
        #expect(joined.map(\.outcome) == [.turnedA])
        #expect(joined.first?.grant == open)
    }

    @Test func aGrantRestoredInsideItsWindowClosesAsNotTurnedWhenTheRestRunsOut() {
        var joiner = PassageJoiner(layout: layout)
        _ = joiner.restore(openGrants: [(grant(id: 1), .seconds(4))], waitingRotations: [], now: restart)

        #expect(joiner.expire(now: restart + .seconds(5.9)).isEmpty)
        let closed = passages(joiner.expire(now: restart + .seconds(6)))
        #expect(closed.map(\.outcome) == [.notTurned])
        #expect(closed.first?.closedAt == restart + .seconds(6))
    }

    @Test func aGrantWhoseWindowRanOutWhileTheDaemonWasDownClosesAsNotTurnedAtOnce() {
        var joiner = PassageJoiner(layout: layout)
        let stale = grant(id: 1)
        let closed = passages(joiner.restore(openGrants: [(stale, .seconds(12))], waitingRotations: [], now: restart))

        #expect(closed.map(\.outcome) == [.notTurned])
        #expect(closed.first?.grant == stale)
        #expect(closed.first?.closedAt == restart)
        #expect(joiner.isIdle)
    }

    @Test func aRotationAndTheGrantThatCameWithinItsGraceAreJoinedOnRestore() {
        var joiner = PassageJoiner(layout: layout)
        let turn = rotation(.a, id: 1)
        let late = grant(id: 2)
        let effects = joiner.restore(openGrants: [(late, .seconds(20))], waitingRotations: [(turn, .seconds(21))],
                                     now: restart)

        let joined = passages(effects)
        #expect(joined.map(\.outcome) == [.turnedA])
        #expect(joined.first?.grant == late)
        #expect(joined.first?.rotation == turn)
        #expect(joined.first?.closedAt == restart)
        #expect(joiner.isIdle)
    }

    @Test func aRotationRestoredInsideItsGraceStillWaitsForItsGrant() {
        var joiner = PassageJoiner(layout: layout)
        let turn = rotation(.b, id: 1)
        #expect(joiner.restore(openGrants: [], waitingRotations: [(turn, .seconds(1))], now: restart).isEmpty)

        let late = grant(TestSite.exitTerminal, id: 2)
        var arriving = late
        arriving.arrivedAt = restart + .milliseconds(300)
        let joined = passages(joiner.grant(arriving))
        #expect(joined.map(\.outcome) == [.turnedB])
        #expect(joined.first?.rotation == turn)
    }

    @Test func aRotationAndAGrantFarApartAreNotJoinedOnRestore() {
        var joiner = PassageJoiner(layout: layout)
        let turn = rotation(.a, id: 1)
        let effects = joiner.restore(openGrants: [(grant(id: 2), .seconds(3))],
                                     waitingRotations: [(turn, .seconds(8))], now: restart)

        #expect(passages(effects).map(\.outcome) == [.unauthorisedRotation])
        #expect(passages(effects).first?.closedAt == restart)
        #expect(joiner.nextDeadline == restart + .seconds(7))
    }

    @Test func reverificationsRestoredWithTheirGrantAreFoldedAgain() {
        var joiner = PassageJoiner(layout: layout)
        let first = grant(id: 1)
        let again = grant(id: 2)
        _ = joiner.restore(openGrants: [(again, .seconds(2)), (first, .seconds(9))], waitingRotations: [],
                           now: restart)

        #expect(joiner.nextDeadline == restart + .seconds(8))
        let closed = passages(joiner.expire(now: restart + .seconds(8)))
        #expect(closed.map(\.grant) == [first])
        #expect(closed.first?.reverifications == [again])
    }
}
