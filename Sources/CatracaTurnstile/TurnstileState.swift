import CatracaCore

/// A grant waiting for its turn.
struct OpenGrant {
    var grant: Grant
    /// Arrival order across the joiner, so that what closes at one instant closes in the order it came.
    var order: UInt64
    var windowEnds: Tick
    var reverifications: [Grant]
}

/// A rotation waiting for a grant (during the grace) or for a TurnstilePass record (while held).
struct WaitingRotation {
    var rotation: Rotation
    var order: UInt64
    var fell: Tick
    /// Until then a late grant may claim it.
    var graceEnds: Tick
    /// Then it is an unauthorised rotation: the grace, or a whole window at a turnstile whose terminal
    /// reports turns.
    var waitEnds: Tick
}

/// A TurnstilePass record that said the turnstile turned, waiting a grace for the GPIO rotation of that turn.
struct PendingReport {
    var grant: Grant
    var order: UInt64
    var direction: Direction
    var waitEnds: Tick
}

/// What the joiner holds for one turnstile.
struct TurnstileState {
    let id: TurnstileID
    let inDirection: Direction
    /// A terminal with the TurnstilePass firmware stands here: rotations wait a whole window for its record.
    let holdsRotations: Bool
    var grants: [OpenGrant] = []
    var rotations: [WaitingRotation] = []
    var reports: [PendingReport] = []
    /// The falling edge of the last rotation counted in each direction, for the bounce guard.
    var lastFell: [Direction: Tick] = [:]

    init(id: TurnstileID, inDirection: Direction, holdsRotations: Bool) {
        self.id = id
        self.inDirection = inDirection
        self.holdsRotations = holdsRotations
    }

    var isEmpty: Bool { grants.isEmpty && rotations.isEmpty && reports.isEmpty }

    /// Entry for a turn in the in direction, exit for the other.
    func side(of direction: Direction) -> TerminalSide {
        direction == inDirection ? .entry : .exit
    }

    /// The open grant a rotation in `direction` takes: the oldest one given for that side (or for no side);
    /// failing that the oldest one at all, unless the turn may still be claimed by a TurnstilePass record.
    func grantIndex(for direction: Direction) -> Int? {
        let side = side(of: direction)
        if let matching = grants.firstIndex(where: { $0.grant.side == nil || $0.grant.side == side }) {
            return matching
        }
        return holdsRotations || grants.isEmpty ? nil : 0
    }

    /// The waiting rotation a late grant for `side` takes: the oldest still in its grace that turned towards
    /// that side; failing that the oldest in its grace, unless a TurnstilePass record may still claim it.
    func rotationIndex(forLateGrantOn side: TerminalSide?, at time: Tick) -> Int? {
        let inGrace = rotations.indices.filter { rotations[$0].graceEnds >= time }
        let matching = inGrace.first { side == nil || self.side(of: rotations[$0].rotation.direction) == side }
        if let matching { return matching }
        return holdsRotations ? nil : inGrace.first
    }

    /// The rotation a TurnstilePass record reporting a turn in `direction` at `time` claims: the oldest one
    /// of that direction that fell within a window before the record came.
    func rotationIndex(reportedAs direction: Direction, at time: Tick, window: TimeSpan) -> Int? {
        rotations.firstIndex { $0.rotation.direction == direction && $0.fell >= time.subtracting(window) }
    }

    /// Whether a rotation falling at `fell` in `direction` is the same turn as the last one counted.
    func isBounce(direction: Direction, fell: Tick, guard bounceGuard: TimeSpan) -> Bool {
        guard let last = lastFell[direction] else { return false }
        let distance = fell >= last ? fell - last : last - fell
        return distance < bounceGuard.nanoseconds
    }
}
