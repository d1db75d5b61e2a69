/// Names for credential slots (`backupnum`) on the command line.
///
/// `face` 50, `card` 11, `password` 10, `palm` 40 (`palm2` 41), `finger0`..`finger9` (or `finger` for 0)
/// 0–9, `user` 12 (the whole user, deleteuser only), or the number itself.
public enum CredentialName {
    public static let named: [(String, Int)] = [
        ("face", 50), ("card", 11), ("password", 10), ("palm", 40), ("palm2", 41), ("finger", 0), ("user", 12),
    ]

    public static let helpText = "face, card, password, palm, palm2, finger0..finger9, or a backupnum"

    /// The backupnum for `text`, or nil when it names no slot.
    public static func backupnum(_ text: String) -> Int? {
        let lowered = text.lowercased()
        if let match = named.first(where: { $0.0 == lowered }) { return match.1 }
        if lowered.hasPrefix("finger"), let index = Int(lowered.dropFirst("finger".count)), (0...9).contains(index) {
            return index
        }
        return Int(text)
    }

    /// The word for a backupnum, as shown in tables: `face`, `card`, `finger3`, ...
    public static func name(_ backupnum: Int) -> String {
        switch backupnum {
        case 0...9: return "finger\(backupnum)"
        case 10: return "password"
        case 11: return "card"
        case 40: return "palm"
        case 41: return "palm2"
        case 50: return "face"
        default: return "slot\(backupnum)"
        }
    }
}

extension VerbInput {
    /// The backupnum named by `--credential`, or nil when the flag was not given.
    func credential() throws -> Int? {
        guard let text = options.value("--credential") else { return nil }
        guard let backupnum = CredentialName.backupnum(text) else {
            throw usage("--credential \"\(text)\": expected \(CredentialName.helpText)")
        }
        return backupnum
    }
}
