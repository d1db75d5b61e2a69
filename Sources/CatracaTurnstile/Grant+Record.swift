import CatracaCore
import CatracaTerminal

extension Grant {
    /// The enrollid firmwares give an unknown face (with `event` 2).
    public static let unknownPersonEnrollid: Int64 = 99_999_999
    /// The enrollid of a door event, which no person caused.
    public static let doorEventEnrollid: Int64 = 0

    /// The grant a terminal's record gives, or nil when the record is no grant.
    ///
    /// A record is a grant when its terminal stands at a turnstile and it is a successful verification of a
    /// known person: on the firmwares we know `event` 0, with an enrollid that is neither an unknown face nor
    /// a door event. The daemon should log the records that are refused because their terminal is not
    /// placed (`layout.placement(of:)` is nil), and feed only records the store inserted for the first time:
    /// a resent record is no new verification.
    public static func from(record: AccessRecord, layout: TurnstileLayout, arrivedAt: Instant,
                            recordID: Int64? = nil) -> Grant? {
        let identity = record.identity
        guard let placement = layout.placement(of: identity.sn) else { return nil }
        guard identity.event == 0 else { return nil }
        guard identity.enrollid != unknownPersonEnrollid, identity.enrollid != doorEventEnrollid else { return nil }

        return Grant(turnstile: placement.turnstile, kind: .record, sn: identity.sn, side: placement.side,
                     enrollid: identity.enrollid, record: identity, inOut: identity.inOut, arrivedAt: arrivedAt,
                     grantID: recordID)
    }

    /// The grant an allow decision in server-ratify mode gives, or nil when the terminal stands at no turnstile.
    ///
    /// The daemon's decision is the grant, so the record's `event` and enrollid are not checked. Feed either
    /// this or `from(record:...)` for one record, never both: they are the same verification.
    public static func serverAllow(record: AccessRecord, layout: TurnstileLayout, arrivedAt: Instant,
                                   recordID: Int64? = nil) -> Grant? {
        let identity = record.identity
        guard let placement = layout.placement(of: identity.sn) else { return nil }

        return Grant(turnstile: placement.turnstile, kind: .serverAllow, sn: identity.sn, side: placement.side,
                     enrollid: identity.enrollid, record: identity, inOut: identity.inOut, arrivedAt: arrivedAt,
                     grantID: recordID)
    }
}
