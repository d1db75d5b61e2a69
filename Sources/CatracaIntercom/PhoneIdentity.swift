/// Who a connection on the phones' port proved to be with `phonereg`.
public struct PhoneIdentity: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable {
        /// A resident's phone, known by its number and per-phone secret; it can be rung, answer and watch.
        case phone
        /// An operator's browser, holding the API token; it can watch a terminal, never be rung.
        case browser
    }

    public var kind: Kind
    /// The phone's number; for a browser, `browser-<connection>`.
    public var phonenum: String
    public var enrollid: Int64?
    public var apartment: String?
    /// The resident's name, sent to the terminal as `username`.
    public var name: String?

    public init(kind: Kind, phonenum: String, enrollid: Int64? = nil, apartment: String? = nil, name: String? = nil) {
        self.kind = kind
        self.phonenum = phonenum
        self.enrollid = enrollid
        self.apartment = apartment
        self.name = name
    }
}
