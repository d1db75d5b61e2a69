import CatracaTerminal

/// What the site does with a call that gave no decision (deadline passed, plugin crashed or failed).
public enum PluginFallback: String, Sendable, CaseIterable {
    /// Refuse: a turnstile stays shut while a rule cannot be checked. The default: a rule that guards
    /// (anti-passback, a visitor's single-use code) must not be skipped by making its plugin hang.
    case deny
    /// Let through: for sites where a stuck queue is worse than a rule skipped (a canteen).
    case allow
}

/// Composes the plugins' answers to one question into the verdict the terminal is told.
///
/// The rules, in the configured plugin order:
/// 1. a failed call counts as the fallback's decision at its place (`deny` with `fallbackMessage`, or allow);
/// 2. the first refusal wins, and its message, font size and colour are shown;
/// 3. otherwise, when a plugin allowed, access is granted with the first allowing decision that carries a
///    message (or the first allowing one), and the first `enrollid`/`username` any allowing decision gives;
/// 4. when every plugin abstained (or none has the hook), a registration or a record gets no verdict (the
///    site's default: accepted, with `terminals.ackMessage`), and a QR code is refused with
///    `unrecognisedQRCodeMessage`, because a code no rule knows must not open a door.
public struct DecisionComposition: Sendable {
    public var fallback: PluginFallback
    public var fallbackMessage: String
    public var unrecognisedQRCodeMessage: String

    public init(fallback: PluginFallback = .deny, fallbackMessage: String = "Try again",
                unrecognisedQRCodeMessage: String = "Unknown QR code") {
        self.fallback = fallback
        self.fallbackMessage = fallbackMessage
        self.unrecognisedQRCodeMessage = unrecognisedQRCodeMessage
    }

    /// The composed verdict, and whether a fallback took part (such a verdict is not remembered for resends:
    /// the next try may get a real answer).
    public struct Outcome: Equatable, Sendable {
        public var verdict: AccessVerdict?
        public var usedFallback: Bool
    }

    /// Composes `answers`, given in plugin order, to a `hook` question.
    public func compose(_ answers: [PluginAnswer], hook: PluginHook) -> Outcome {
        let decisions = answers.map(decision)
        let usedFallback = answers.contains { if case .failed = $0 { return true } else { return false } }
        if let refusal = decisions.first(where: { $0.access == .deny }) {
            return Outcome(verdict: DecisionComposition.verdict(refusal, access: false), usedFallback: usedFallback)
        }

        let allowing = decisions.filter { $0.access == .allow }
        if let first = allowing.first {
            var verdict = DecisionComposition.verdict(allowing.first { $0.message != nil } ?? first, access: true)
            let person = allowing.first { $0.enrollid != nil }
            verdict.enrollid = person?.enrollid
            verdict.username = person?.username
            return Outcome(verdict: verdict, usedFallback: usedFallback)
        }

        guard hook == .qrcode else { return Outcome(verdict: nil, usedFallback: usedFallback) }
        return Outcome(verdict: AccessVerdict(access: false, message: unrecognisedQRCodeMessage),
                       usedFallback: usedFallback)
    }

    /// One `sendlog` can carry several records, but its reply has one `access`: a refusal of any record
    /// wins (the first), otherwise the newest record's verdict is shown (the person at the terminal now);
    /// nil when no record got one.
    public static func combine(_ verdicts: [AccessVerdict?]) -> AccessVerdict? {
        let given = verdicts.compactMap { $0 }
        return given.first { !$0.access } ?? given.last
    }

    private func decision(_ answer: PluginAnswer) -> PluginDecision {
        switch answer {
        case .decided(let decision):
            return decision
        case .failed:
            return fallback == .deny ? PluginDecision(access: .deny, message: fallbackMessage)
                : PluginDecision(access: .allow)
        }
    }

    private static func verdict(_ decision: PluginDecision, access: Bool) -> AccessVerdict {
        AccessVerdict(access: access, message: decision.message, fontsize: decision.fontsize,
                      textColor: decision.textColor, enrollid: decision.enrollid, username: decision.username)
    }
}
