import CatracaCore
import CatracaJSON

/// How a terminal session answers: built once from the daemon's configuration, shared by all sessions.
public struct TerminalSessionConfiguration: Sendable {
    /// The site's time zone, for `cloudtime` (terminals set their clock from it).
    public var siteTime: SiteTime
    /// The terminals accepted; nil accepts any serial number.
    public var allowList: TerminalAllowList?
    /// `message` in the sendlog acknowledgement, shown by terminals that work online.
    public var ackMessage: String
    /// How terminal messages are read (depth limit, size limit).
    public var reader: JSONReader
    /// Whether registrations and records are put to the site's rules (`TerminalEffect.decide`) before they
    /// are answered; false answers at once (registration accepted, records with `access` 1).
    public var decidesAccess: Bool

    public init(siteTime: SiteTime = SiteTime(), allowList: TerminalAllowList? = nil, ackMessage: String = "",
                reader: JSONReader = JSONReader(), decidesAccess: Bool = false) {
        self.siteTime = siteTime
        self.allowList = allowList
        self.ackMessage = ackMessage
        self.reader = reader
        self.decidesAccess = decidesAccess
    }
}
