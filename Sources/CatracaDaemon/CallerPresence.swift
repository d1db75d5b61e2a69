/// Whether the HTTP client that asked for something is still there, so that an endpoint can withdraw work
/// done only for it (a command still waiting in a terminal's queue) once it has gone. Lives on the event loop.
final class CallerPresence {
    private var withdrawals: [() -> Void] = []
    private(set) var isGone = false

    /// Runs `withdraw` when the caller goes; at once when it has gone already.
    func onGone(_ withdraw: @escaping () -> Void) {
        guard !isGone else { return withdraw() }
        withdrawals.append(withdraw)
    }

    /// The caller went away before it was answered.
    func callerLeft() {
        guard !isGone else { return }
        isGone = true
        let pending = withdrawals
        withdrawals = []
        for withdraw in pending { withdraw() }
    }
}
