/// What a TurnstilePass firmware record says about the turn that followed the verification (protocol, 1.2, 3).
public enum TurnstilePassReport: Hashable, Sendable {
    case turned(Direction)
    case notTurned

    /// `inout` 6 is direction A, 5 direction B, 7 not turned; any other value is no report.
    ///
    /// Other firmwares use `inout` only for master/slave direction (0 and 1), so 5, 6 and 7 are read as
    /// reports whatever the terminal's placement says.
    public init?(inOut: Int) {
        switch inOut {
        case 6: self = .turned(.a)
        case 5: self = .turned(.b)
        case 7: self = .notTurned
        default: return nil
        }
    }
}
