/// A credential slot of a user (`backupnum`).
public enum CredentialSlot: Equatable, Hashable, Sendable {
    /// Fingerprint template 0-9 (up to ten per user).
    case fingerprint(Int)
    /// The password (10).
    case password
    /// The RFID card (11).
    case card
    /// The whole user (12): only in deleteuser.
    case wholeUser
    /// Palm vein 40 or 41: only in adduser.
    case palm(Int)
    /// The face photo, base64 (50).
    case face

    /// The slot numbered `backupnum`; nil when it is none of the protocol's slots.
    public init?(backupnum: Int) {
        switch backupnum {
        case 0...9: self = .fingerprint(backupnum)
        case 10: self = .password
        case 11: self = .card
        case 12: self = .wholeUser
        case 40, 41: self = .palm(backupnum)
        case 50: self = .face
        default: return nil
        }
    }

    /// The protocol's number for the slot.
    public var backupnum: Int {
        switch self {
        case .fingerprint(let index): return index
        case .password: return 10
        case .card: return 11
        case .wholeUser: return 12
        case .palm(let number): return number
        case .face: return 50
        }
    }

    /// The kinds of slot a command takes.
    enum Kind: CaseIterable {
        case fingerprint, password, card, wholeUser, palm, face

        var numbers: [Int] {
            switch self {
            case .fingerprint: return Array(0...9)
            case .password: return [10]
            case .card: return [11]
            case .wholeUser: return [12]
            case .palm: return [40, 41]
            case .face: return [50]
            }
        }

        var words: String {
            switch self {
            case .fingerprint: return "0-9 fingerprint"
            case .password: return "10 password"
            case .card: return "11 card"
            case .wholeUser: return "12 whole user"
            case .palm: return "40/41 palm vein"
            case .face: return "50 face"
            }
        }
    }

    /// The rule for a command's `backupnum`: the slots of `kinds`, named in the error.
    static func rule(_ kinds: [Kind]) -> IntegerRule {
        let allowed = Set(kinds.flatMap(\.numbers))
        return .values(allowed, "a credential slot (" + kinds.map(\.words).joined(separator: ", ") + ")")
    }

    /// Reads a `backupnum` field with `rule`.
    static func read(_ params: OperatorParams, _ kinds: [Kind]) throws(CommandValidationError) -> CredentialSlot? {
        guard let number = try params.integer("backupnum", rule(kinds)) else { return nil }
        return CredentialSlot(backupnum: number)
    }
}
