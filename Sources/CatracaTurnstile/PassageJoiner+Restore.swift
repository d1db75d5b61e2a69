import CatracaCore

extension PassageJoiner {
    /// Rebuilds the joiner after a restart from what the store kept and had not closed, and returns what
    /// closes at once. Call it on a new joiner, before feeding anything else.
    ///
    /// `age` is how long ago the input arrived (for a rotation: its falling edge), measured by the store
    /// across the restart (the monotonic clock restarts with the machine, so the inputs' own `Instant`s are
    /// not used). The inputs are replayed oldest first through the same rules, so a rotation and the late
    /// grant that came within its grace still join, a grant whose window ran out while the daemon was down
    /// closes as not turned, and one still inside its window keeps the rest of it. Passages closed here have
    /// `closedAt` = `now`.
    public mutating func restore(openGrants: [(grant: Grant, age: TimeSpan)],
                                 waitingRotations: [(rotation: Rotation, age: TimeSpan)],
                                 now: Instant) -> [JoinerEffect] {
        let restart = Tick(now)
        closedAtFloor = restart
        defer { closedAtFloor = .min }

        var effects: [JoinerEffect] = []
        for input in replayOrder(openGrants: openGrants, waitingRotations: waitingRotations, now: restart) {
            switch input.kind {
            case .grant(let grant):
                effects += closeDue(upTo: input.time) + receive(grant, at: input.time)
            case .rotation(let rotation, let fell):
                effects += closeDue(upTo: fell) + receive(rotation, fell: fell, rose: input.time)
            }
        }
        return effects + closeDue(upTo: restart)
    }

    /// The restored inputs on the joiner's timeline, in the order they arrived: a grant at its arrival, a
    /// rotation at its rising edge (its pulse width kept from its own timestamps).
    private func replayOrder(openGrants: [(grant: Grant, age: TimeSpan)],
                             waitingRotations: [(rotation: Rotation, age: TimeSpan)],
                             now restart: Tick) -> [RestoredInput] {
        var inputs: [RestoredInput] = []
        for (grant, age) in openGrants {
            inputs.append(RestoredInput(kind: .grant(grant), time: restart.subtracting(age), sequence: inputs.count))
        }
        for (rotation, age) in waitingRotations {
            let fell = restart.subtracting(age)
            let width = TimeSpan(nanoseconds: Swift.max(0, rotation.roseAt.since(rotation.fellAt).nanoseconds))
            inputs.append(RestoredInput(kind: .rotation(rotation, fell: fell), time: fell.adding(width),
                                        sequence: inputs.count))
        }
        return inputs.sorted { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
    }
}

/// One stored input replayed by `restore`.
private struct RestoredInput {
    enum Kind {
        case grant(Grant)
        case rotation(Rotation, fell: Tick)
    }

    var kind: Kind
    /// When the joiner received it: a grant's arrival, a rotation's rising edge.
    var time: Tick
    /// Its place in the restore call, to keep inputs of the same instant in the order the store gave them.
    var sequence: Int
}
