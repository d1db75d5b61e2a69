/// The way a turnstile turned, as its board reports it.
///
/// A is relay 2 on FIRE IN, B is relay 3 on EXIT BUTTON (protocol, section 3). The TurnstilePass firmware
/// names the same two turns `inout` 6 (A) and 5 (B).
public enum Direction: String, Hashable, Sendable, CaseIterable {
    case a = "A"
    case b = "B"
}
