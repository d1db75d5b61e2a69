/// How a user (setuserinfo) or the terminal (setdevinfo) verifies a person: the protocol's `verifymode` list.
public enum VerifyMode: Int, CaseIterable, Equatable, Sendable {
    case terminalDefault = 0
    case fingerprint = 1
    case password = 2
    /// The protocol lists both 2 and 3 as password.
    case passwordAlternative = 3
    case fingerprintAndPassword = 4
    case fingerprintAndCard = 5
    case face = 8
    case faceAndPassword = 9
    case faceAndCard = 10
    case cardAndPassword = 11
    case fingerprintAndFace = 12
    case qrCode = 13
    case faceAndCardOrPassword = 14
    case palm = 16
    case oneToN = 19
    case anyMethod = 20
    case palmAndFace = 21
    case fingerprintAndPalm = 22
    case cardAndPalm = 23
    case palmAndPassword = 24

    /// The rule for a `verifymode` field.
    static let rule = IntegerRule.values(
        Set(allCases.map(\.rawValue)),
        "a verify mode (0 default, 1 fingerprint, 2/3 password, 4 fingerprint+password, 5 fingerprint+card, "
            + "8 face, 9 face+password, 10 face+card, 11 card+password, 12 fingerprint+face, 13 QR code, "
            + "14 face+(card or password), 16 palm, 19 1:N, 20 any, 21 palm+face, 22 fingerprint+palm, "
            + "23 card+palm, 24 palm+password)"
    )

    /// Reads a `verifymode` field.
    static func read(_ params: OperatorParams) throws(CommandValidationError) -> VerifyMode? {
        try params.integer("verifymode", rule).flatMap(VerifyMode.init(rawValue:))
    }
}
