import CatracaCore

/// Joins grants and turnstile rotations into passages. I/O-free: the daemon feeds it inputs with their
/// monotonic timestamps, calls `expire(now:)` at `nextDeadline`, and stores the passages it returns.
///
/// Terminal record times are the terminal's wall clock in whole seconds, so nothing here compares them with
/// rotation timestamps: grants are matched on arrival order and windows. Each input's own timestamp is the
/// time it happened for the joiner (`Grant.arrivedAt`, `Rotation.fellAt`/`roseAt`); before handling an input
/// the joiner closes whatever ran out by then, so a late timer cannot let a stale window claim a turn.
///
/// Rules:
/// - A grant opens a window (`window`, the terminal's re-verify time) from its arrival. The first rotation
///   while it is open closes it as turned A or B; the window running out closes it as not turned.
/// - Grants at one turnstile queue in arrival order. A rotation takes the oldest open grant given for the
///   side it turned towards (an entry grant for a turn in the in direction), or one that names no side (an
///   open-door); with none, the oldest open grant, and the passage says it turned against the grant. So two
///   people crossing each other at one turnstile are each given their own turn.
/// - A queued grant's window starts at its own arrival, not when the grant before it closes. A person
///   waiting behind another is still in front of the face terminal, which verifies them again, and a
///   re-verification keeps their window open (next rule); a window that depends only on its own arrival
///   also lets a restart rebuild it exactly from its age.
/// - The same person (enrollid) verified again on the same terminal while their window is open is one grant:
///   the later verification is folded into it (`Passage.reverifications`) and the window restarts from it.
/// - A rotation no open grant takes waits `rotationGrace` for a late grant (records come batched or
///   resent); a grant arriving within that time joins it (the oldest waiting one that turned towards the
///   grant's side, else the oldest). With none, it closes as an unauthorised rotation.
/// - A second rotation of the same direction at one turnstile whose falling edge is within `bounceGuard`
///   of the last counted one is ignored: the GPIO filter removes contact bounce of one pulse, but a board
///   whose relay chatters, or re-triggers at the end of a turn, can give two clean pulses for one turn, and
///   no person completes two turns of the arm that fast. Rotations in the other direction are not guarded.
/// - TurnstilePass records (`inout` 5 = B, 6 = A, 7 = not turned) are passages by themselves and open no
///   window. Such a record comes after its turn, so at a turnstile where a terminal is placed with
///   `reportsTurns`, a rotation that no grant takes is held a whole `window` (not only the grace), and a
///   record saying turned A or B claims the oldest held rotation of that direction that fell within a window
///   before it: one passage with both. Held rotations are not given to an open grant for the other side,
///   nor to a late grant for the other side, because the record may still claim them. A record that finds no
///   rotation waits `rotationGrace` for one (GPIO may deliver late), then closes as turned without one.
///   A record saying not turned closes at once. A held rotation no record claims is an unauthorised
///   rotation when its window runs out. The alternative, letting a later record take back an unauthorised
///   rotation already stored, would make the store rewrite passages; holding costs only a later alarm.
/// - Rotations at a turnstile the site does not configure, and grants naming one, are set aside with an
///   `ignored...` effect for the daemon to log; they never crash the joiner.
/// - Every grant and every rotation ends in exactly one effect: one passage (as its grant, one of its
///   reverifications, or its rotation), or one `ignored...` effect. The store marks them closed from that.
///
/// Restart: the store keeps grants and rotations as they arrive and passages as they close, so what is
/// stored and not closed is what the joiner held. `restore(openGrants:waitingRotations:now:)` replays those
/// inputs at their ages through the same rules; what ran out while the daemon was down closes at once (as
/// not turned, or as an unauthorised rotation) with `closedAt` the restart time; the rest keeps the
/// remainder of its window or grace.
///
/// Known shortcomings: a rotation whose kernel timestamp lies inside a window but is read after the timer
/// already closed that window as not turned is an unauthorised rotation (the daemon should read pending GPIO
/// events before calling `expire`). After a restart, the bounce guard does not know rotations closed before
/// it (a restart within `bounceGuard` of a turn may count a bounce). Two terminals on the same side of one
/// turnstile are told apart only by arrival order. A TurnstilePass terminal placed without `reportsTurns`
/// has its record joined with the GPIO rotation only when the record comes within the rotation's grace;
/// later, the one turn is counted twice (an unauthorised rotation, then the record's turn).
/// Whether the TurnstilePass firmware in server-ratify mode asks before the turn and sends the rewritten
/// record after it is not known; if so, feed only one of the two, or the turn is counted twice.
public struct PassageJoiner: Sendable {
    public let layout: TurnstileLayout
    public let configuration: JoinerConfiguration

    var turnstiles: [TurnstileID: TurnstileState]
    /// The latest time an input or `expire` brought; passages closed by an input are closed then.
    var latest: Tick = .min
    var nextOrder: UInt64 = 0
    /// While restoring, the restart time: passages closed then are closed at restart, not in the past.
    var closedAtFloor: Tick = .min

    public init(layout: TurnstileLayout, configuration: JoinerConfiguration = .defaults) {
        self.layout = layout
        self.configuration = configuration
        var turnstiles: [TurnstileID: TurnstileState] = [:]
        for (turnstile, inDirection) in layout.inDirections {
            let holds = layout.hasTurnReportingTerminal(at: turnstile)
            turnstiles[turnstile] = TurnstileState(id: turnstile, inDirection: inDirection, holdsRotations: holds)
        }
        self.turnstiles = turnstiles
    }

    /// Feeds a grant that arrived at `grant.arrivedAt`.
    public mutating func grant(_ grant: Grant) -> [JoinerEffect] {
        let arrived = Tick(grant.arrivedAt)
        return closeDue(upTo: arrived) + receive(grant, at: arrived)
    }

    /// Feeds a rotation the GPIO reader delivered.
    public mutating func rotation(_ rotation: Rotation) -> [JoinerEffect] {
        let fell = Tick(rotation.fellAt)
        let rose = Swift.max(fell, Tick(rotation.roseAt))
        return closeDue(upTo: fell) + receive(rotation, fell: fell, rose: rose)
    }

    /// Closes what ran out by `now`: windows as not turned, waits as unauthorised rotations or as turns a
    /// TurnstilePass record reported alone.
    public mutating func expire(now: Instant) -> [JoinerEffect] {
        closeDue(upTo: Tick(now))
    }

    /// When `expire` next has something to close, or nil when nothing is open.
    public var nextDeadline: Instant? {
        let deadlines = turnstiles.values.flatMap { state in
            state.grants.map(\.windowEnds) + state.rotations.map(\.waitEnds) + state.reports.map(\.waitEnds)
        }
        return deadlines.min()?.instant
    }

    /// True when no grant, rotation or TurnstilePass record is waiting.
    public var isIdle: Bool { turnstiles.values.allSatisfy(\.isEmpty) }
}
