/// Names for `verifymode` values (protocol section 2, setuserinfo.verifymode), so that an installer types
/// `face+card` instead of 10. The number itself is accepted too.
public enum VerifyModeName {
    public static let choices: [(String, Int)] = [
        ("default", 0), ("fingerprint", 1), ("password", 2), ("password-alt", 3), ("fingerprint+password", 4),
        ("fingerprint+card", 5),
        ("face", 8), ("face+password", 9), ("face+card", 10), ("card+password", 11), ("fingerprint+face", 12),
        ("qr", 13), ("face+card|password", 14), ("palm", 16), ("1:n", 19), ("any", 20), ("palm+face", 21),
        ("fingerprint+palm", 22), ("card+palm", 23), ("palm+password", 24),
    ]

    public static let helpText = "default, fingerprint, password, face, face+card, face+password, card+password, "
        + "palm, any, ... or the protocol number"
}
