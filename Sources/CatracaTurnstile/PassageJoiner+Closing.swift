import CatracaCore

extension PassageJoiner {
    /// Closes every window and wait that ran out by `time`, in the order they ran out.
    ///
    /// Each closes at its deadline, but not before a passage already closed: a rotation is handled at its
    /// falling edge and closes at its rising edge, and a deadline between the two is found only afterwards.
    mutating func closeDue(upTo time: Tick) -> [JoinerEffect] {
        let alreadyClosed = latest
        latest = Swift.max(latest, time)
        var due: [(deadline: Tick, order: UInt64, effect: JoinerEffect)] = []

        for (turnstile, var state) in turnstiles where !state.isEmpty {
            func close(_ deadline: Tick) -> Tick { Swift.max(deadline, alreadyClosed) }
            for open in state.grants where open.windowEnds <= time {
                let effect = passage(in: state, grant: open.grant, reverifications: open.reverifications,
                                     rotation: nil, at: close(open.windowEnds))
                due.append((open.windowEnds, open.order, effect))
            }
            for waiting in state.rotations where waiting.waitEnds <= time {
                let effect = passage(in: state, grant: nil, rotation: waiting.rotation, at: close(waiting.waitEnds))
                due.append((waiting.waitEnds, waiting.order, effect))
            }
            for report in state.reports where report.waitEnds <= time {
                let effect = passage(in: state, grant: report.grant, rotation: nil, at: close(report.waitEnds))
                due.append((report.waitEnds, report.order, effect))
            }

            state.grants.removeAll { $0.windowEnds <= time }
            state.rotations.removeAll { $0.waitEnds <= time }
            state.reports.removeAll { $0.waitEnds <= time }
            turnstiles[turnstile] = state
        }

        return due.sorted { ($0.deadline, $0.order) < ($1.deadline, $1.order) }.map(\.effect)
    }

    /// The passage of `grant` and `rotation` at a turnstile, closed `at`.
    ///
    /// The turn's direction comes from the rotation, or, without one, from a TurnstilePass record.
    func passage(in state: TurnstileState, grant: Grant?, reverifications: [Grant] = [], rotation: Rotation?,
                 at time: Tick) -> JoinerEffect {
        let direction = rotation?.direction ?? grant?.turnstilePassReport.flatMap(\.direction)
        let side = direction.map(state.side(of:))
        let outcome: PassageOutcome
        if let direction {
            outcome = grant == nil ? .unauthorisedRotation : .turned(direction)
        } else {
            outcome = .notTurned
        }
        let turnedAgainstGrant = side != nil && grant?.side != nil && grant?.side != side

        return .passage(Passage(turnstile: state.id, outcome: outcome, grant: grant,
                                reverifications: reverifications, rotation: rotation, direction: direction,
                                side: side, turnedAgainstGrant: turnedAgainstGrant,
                                closedAt: Swift.max(time, closedAtFloor).instant))
    }
}

extension TurnstilePassReport {
    var direction: Direction? {
        if case .turned(let direction) = self { return direction }
        return nil
    }
}
