/// Which side of a turnstile: where a terminal stands, and where a passage went.
///
/// A terminal on the `entry` side grants entering; a turn in the turnstile's `inDirection` is an entry.
public enum TerminalSide: String, Hashable, Sendable, CaseIterable {
    case entry
    case exit
}
