/// What the daemon does after feeding the joiner: store a passage, or log (and mark closed) an ignored input.
public enum JoinerEffect: Hashable, Sendable {
    /// A passage closed: store it and mark its grants and rotation closed.
    case passage(Passage)
    /// A grant the joiner set aside: log it and mark it closed.
    case ignoredGrant(Grant, IgnoredReason)
    /// A rotation the joiner set aside: log it and mark it closed.
    case ignoredRotation(Rotation, IgnoredReason)
}

/// Why the joiner set an input aside.
public enum IgnoredReason: String, Hashable, Sendable {
    /// The site configures no such turnstile.
    case unknownTurnstile
    /// A second rotation of the same direction within `bounceGuard` of the one before: one turn, not two.
    case bounce
}
