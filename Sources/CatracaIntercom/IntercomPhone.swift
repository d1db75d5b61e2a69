/// A phone the operator allows on the phones' port (`intercom.phones` in the site config).
public struct IntercomPhone: Equatable, Sendable {
    /// What the phone sends as `secret` in `phonereg` to prove it is this phone.
    public var secret: String
    /// The person whose enroll number rings this phone (`inputmode` 1).
    public var enrollid: Int64?
    /// The apartment whose number rings this phone (`inputmode` 3).
    public var apartment: String?
    /// The resident's name, shown on the terminal.
    public var name: String?

    public init(secret: String, enrollid: Int64? = nil, apartment: String? = nil, name: String? = nil) {
        self.secret = secret
        self.enrollid = enrollid
        self.apartment = apartment
        self.name = name
    }
}
