import CatracaCore

extension Grant {
    /// The grant a QR code the site's rules accepted gives at terminal `sn`'s turnstile, or nil when the
    /// terminal stands at none.
    ///
    /// The daemon's decision is the grant (kind `serverAllow`): the terminal opens for the visitor, so the turn
    /// that follows is theirs, not an unauthorised rotation. `enrollid` is the person the rules named, if any.
    /// It has no record, so it is not stored and does not survive a restart (like an operator's open-door).
    public static func serverAllow(qrcodeAt sn: String, enrollid: Int64?, layout: TurnstileLayout,
                                   arrivedAt: Instant) -> Grant? {
        guard let placement = layout.placement(of: sn) else { return nil }
        return Grant(turnstile: placement.turnstile, kind: .serverAllow, sn: sn, side: placement.side,
                     enrollid: enrollid, arrivedAt: arrivedAt)
    }
}
