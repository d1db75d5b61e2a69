import CatracaCore

/// How the switchboard resolves and rings calls; from `intercom` in the site config.
public struct IntercomSettings: Equatable, Sendable {
    /// The phones allowed on the phones' port, by number.
    public var phones: [String: IntercomPhone]
    /// The numbers rung for `inputmode` 0 (the terminal's fixed default number).
    public var defaultPhones: [String]
    /// A call nobody answers within this time is cancelled on both sides.
    public var ringTimeout: TimeSpan
    /// Proves a browser (the operators' API token); nil lets no browser in.
    public var browserToken: String?
    public var ice: ICESettings

    public init(phones: [String: IntercomPhone] = [:], defaultPhones: [String] = [],
                ringTimeout: TimeSpan = .seconds(30), browserToken: String? = nil, ice: ICESettings = ICESettings()) {
        self.phones = phones
        self.defaultPhones = defaultPhones
        self.ringTimeout = ringTimeout
        self.browserToken = browserToken
        self.ice = ice
    }
}
