/// One user held by an emulated terminal: the fields `setuserinfo` sets and the credentials it holds.
///
/// Credentials keep the text they came with (a card number as sent, a photo as base64), so that
/// `getuserinfo` with a `backupnum` gives back what was stored.
public struct EmulatedUser: Equatable, Sendable {
    public var enrollid: Int
    public var name = ""
    public var department = ""
    /// 0 an ordinary user, 1 an administrator (what `cleanadmin` resets).
    public var admin = 0
    public var enabled = true
    public var groupid = 0
    public var verifymode = 0
    public var zoneid = 0
    public var shiftid = 0
    public var accessTimes = 0
    public var postid = 0
    public var starttime: String?
    public var endtime: String?
    /// Slot 10.
    public var password: String?
    /// Slot 11.
    public var card: String?
    /// Slot 50: the face photo as base64 text (without a `data:` prefix).
    public var face: String?
    /// Slots 0–9: fingerprint templates.
    public var fingerprints: [Int: String] = [:]
    /// Slots 40 and 41: palm vein templates.
    public var palms: [Int: String] = [:]

    public init(enrollid: Int) {
        self.enrollid = enrollid
    }

    /// The credential slots (`backupnum` values) this user holds, in ascending order.
    public var credentialSlots: [Int] {
        var slots = fingerprints.keys.sorted()
        if password != nil { slots.append(10) }
        if card != nil { slots.append(11) }
        slots += palms.keys.sorted()
        if face != nil { slots.append(50) }
        return slots
    }

    /// The credential in `slot`, or nil when the user holds none there.
    public func credential(_ slot: Int) -> String? {
        switch slot {
        case 0...9: return fingerprints[slot]
        case 10: return password
        case 11: return card
        case 40, 41: return palms[slot]
        case 50: return face
        default: return nil
        }
    }

    /// Stores `value` in `slot`; nil removes the credential. Slots outside the table are ignored
    /// (the responder refuses them before this is reached).
    public mutating func setCredential(_ slot: Int, to value: String?) {
        switch slot {
        case 0...9: fingerprints[slot] = value
        case 10: password = value
        case 11: card = value
        case 40, 41: palms[slot] = value
        case 50: face = value
        default: break
        }
    }

    /// Whether `slot` names a credential a user can hold (0–9, 10, 11, 40, 41, 50).
    public static func isCredentialSlot(_ slot: Int) -> Bool {
        (0...11).contains(slot) || slot == 40 || slot == 41 || slot == 50
    }
}
