import CatracaJSON

/// What the switchboard asks its owner to do; carried out in order.
public enum IntercomEffect: Equatable, Sendable {
    /// Send this message to that peer now (never through a terminal's command queue).
    case send(IntercomPeer, JSONObject)
    /// Close a phone's connection (it failed to prove who it is).
    case close(connection: UInt64, reason: String)
    /// A call is over: store it and put it in the outbox.
    case ended(CallSummary)
}
