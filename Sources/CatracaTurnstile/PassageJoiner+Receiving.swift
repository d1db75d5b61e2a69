import CatracaCore

extension PassageJoiner {
    /// Handles a grant after what ran out before it has been closed.
    mutating func receive(_ grant: Grant, at arrived: Tick) -> [JoinerEffect] {
        latest = Swift.max(latest, arrived)
        guard var state = turnstiles[grant.turnstile] else { return [.ignoredGrant(grant, .unknownTurnstile)] }
        defer { turnstiles[grant.turnstile] = state }

        if let report = grant.turnstilePassReport {
            return receive(report, of: grant, at: arrived, in: &state)
        }

        if let index = reverifiedGrantIndex(of: grant, in: state) {
            state.grants[index].reverifications.append(grant)
            state.grants[index].windowEnds = Swift.max(state.grants[index].windowEnds,
                                                       arrived.adding(configuration.window))
            return []
        }

        if let index = state.rotationIndex(forLateGrantOn: grant.side, at: arrived) {
            let waiting = state.rotations.remove(at: index)
            return [passage(in: state, grant: grant, rotation: waiting.rotation, at: latest)]
        }

        let windowEnds = arrived.adding(configuration.window)
        state.grants.append(OpenGrant(grant: grant, order: takeOrder(), windowEnds: windowEnds, reverifications: []))
        return []
    }

    /// Handles a rotation after what ran out before its falling edge has been closed.
    mutating func receive(_ rotation: Rotation, fell: Tick, rose: Tick) -> [JoinerEffect] {
        latest = Swift.max(latest, rose)
        guard var state = turnstiles[rotation.turnstile] else {
            return [.ignoredRotation(rotation, .unknownTurnstile)]
        }
        defer { turnstiles[rotation.turnstile] = state }

        let direction = rotation.direction
        if state.isBounce(direction: direction, fell: fell, guard: configuration.bounceGuard) {
            return [.ignoredRotation(rotation, .bounce)]
        }
        state.lastFell[direction] = fell

        if let index = state.reports.firstIndex(where: { $0.direction == direction }) {
            let report = state.reports.remove(at: index)
            return [passage(in: state, grant: report.grant, rotation: rotation, at: latest)]
        }

        if let index = state.grantIndex(for: direction) {
            let open = state.grants.remove(at: index)
            return [passage(in: state, grant: open.grant, reverifications: open.reverifications, rotation: rotation,
                            at: latest)]
        }

        let graceEnds = rose.adding(configuration.rotationGrace)
        let waitEnds = state.holdsRotations ? Swift.max(graceEnds, rose.adding(configuration.window)) : graceEnds
        state.rotations.append(WaitingRotation(rotation: rotation, order: takeOrder(), fell: fell, graceEnds: graceEnds,
                                               waitEnds: waitEnds))
        return []
    }

    /// Handles a TurnstilePass record: a passage by itself, joined with the GPIO rotation of the same turn.
    private mutating func receive(_ report: TurnstilePassReport, of grant: Grant, at arrived: Tick,
                                  in state: inout TurnstileState) -> [JoinerEffect] {
        guard case .turned(let direction) = report else {
            return [passage(in: state, grant: grant, rotation: nil, at: latest)]
        }

        if let index = state.rotationIndex(reportedAs: direction, at: arrived, window: configuration.window) {
            let waiting = state.rotations.remove(at: index)
            return [passage(in: state, grant: grant, rotation: waiting.rotation, at: latest)]
        }

        let waitEnds = arrived.adding(configuration.rotationGrace)
        state.reports.append(PendingReport(grant: grant, order: takeOrder(), direction: direction, waitEnds: waitEnds))
        return []
    }

    /// The open grant `grant` verifies again: same person, same terminal. Open-doors name no person.
    private func reverifiedGrantIndex(of grant: Grant, in state: TurnstileState) -> Int? {
        guard grant.kind != .openDoor, let sn = grant.sn, let enrollid = grant.enrollid else { return nil }
        return state.grants.firstIndex {
            $0.grant.kind != .openDoor && $0.grant.sn == sn && $0.grant.enrollid == enrollid
        }
    }

    mutating func takeOrder() -> UInt64 {
        defer { nextOrder += 1 }
        return nextOrder
    }
}
