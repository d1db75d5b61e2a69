/// What a session asks the site's rules (the plugins) before it answers a terminal, and what they answered.
///
/// The session stays I/O-free: it hands the question out as a `TerminalEffect.decide` and is told the
/// answer with `registrationDecided`, `recordsDecided` or `qrcodeDecided`.
public enum AccessQuestion: Equatable, Sendable {
    /// May this terminal register? A refusal's message is the reason shown on its screen.
    case registration(TerminalRegistration)
    /// The records of batch `batchID`, for the `access`, `message`, `fontsize` and `text_color` of its
    /// acknowledgement (terminals in server-ratify mode obey them).
    case records(batchID: UInt64, records: [AccessRecord])
    /// A QR code read by terminal `sn`, to be answered with the `sendqrcode` reply.
    case qrcode(id: UInt64, sn: String, code: String)
}

/// The site's rules' answer to one question, as the terminal is told it.
public struct AccessVerdict: Equatable, Sendable {
    /// Let the person through (or the terminal register).
    public var access: Bool
    /// Shown on the terminal's screen; nil keeps the site's default (`terminals.ackMessage`).
    public var message: String?
    /// 10..40 as the protocol lists; nil leaves the terminal's default.
    public var fontsize: Int?
    /// 0xRRGGBB; nil leaves the terminal's default.
    public var textColor: Int?
    /// `sendqrcode` only: the person the code stands for.
    public var enrollid: Int64?
    /// `sendqrcode` only: their name.
    public var username: String?

    public init(access: Bool, message: String? = nil, fontsize: Int? = nil, textColor: Int? = nil,
                enrollid: Int64? = nil, username: String? = nil) {
        self.access = access
        self.message = message
        self.fontsize = fontsize
        self.textColor = textColor
        self.enrollid = enrollid
        self.username = username
    }
}
