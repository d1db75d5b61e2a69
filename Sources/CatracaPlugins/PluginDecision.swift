import CatracaJSON

/// What one plugin answered one hook call: `catraca_decision` on the wire.
public struct PluginDecision: Equatable, Sendable {
    public enum Access: Int, Sendable {
        case abstain = -1
        case deny = 0
        case allow = 1
    }

    public var access: Access
    public var message: String?
    /// One of `allowedFontSizes`: a size a plugin gives outside the protocol's list is clamped to the nearest
    /// one in it (the smaller of two as near), so a terminal is never sent a size its firmware does not know.
    public var fontsize: Int?
    public var textColor: Int?
    public var enrollid: Int64?
    public var username: String?

    public init(access: Access, message: String? = nil, fontsize: Int? = nil, textColor: Int? = nil,
                enrollid: Int64? = nil, username: String? = nil) {
        self.access = access
        self.message = message
        self.fontsize = fontsize.map(PluginDecision.nearestFontSize)
        self.textColor = textColor
        self.enrollid = enrollid
        self.username = username
    }

    /// The font sizes the terminals' protocol lists for `sendlog` and `sendqrcode` replies.
    public static let allowedFontSizes = [10, 12, 14, 16, 18, 20, 22, 24, 28, 32, 40]

    /// The allowed size nearest to `size`; of two as near, the smaller.
    public static func nearestFontSize(_ size: Int) -> Int {
        let size = min(max(size, 0), 1_000)  // any number, even Int.min, without overflowing below
        return allowedFontSizes.min { abs($0 - size) < abs($1 - size) }!
    }

    public static let abstain = PluginDecision(access: .abstain)

    /// The wire form; fields at their "none" value are left out.
    public var json: JSONValue {
        var object: JSONObject = ["access": .integer(access.rawValue)]
        if let message { object["message"] = .string(message) }
        if let fontsize { object["fontsize"] = .integer(fontsize) }
        if let textColor { object["text_color"] = .integer(textColor) }
        if let enrollid { object["enrollid"] = .number(JSONNumber(enrollid)) }
        if let username { object["username"] = .string(username) }
        return .object(object)
    }

    /// Reads the wire form; nil when `access` is missing or not -1, 0 or 1.
    public init?(json: JSONValue) {
        guard let raw = json["access"]?.int, let access = Access(rawValue: raw) else { return nil }
        self.access = access
        message = json["message"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        fontsize = json["fontsize"]?.int.flatMap { $0 == 0 ? nil : PluginDecision.nearestFontSize($0) }
        textColor = json["text_color"]?.int.flatMap { $0 < 0 ? nil : $0 }
        enrollid = json["enrollid"]?.int64.flatMap { $0 < 0 ? nil : $0 }
        username = json["username"]?.string.flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// How one plugin's call ended.
public enum PluginAnswer: Equatable, Sendable {
    /// The hook returned 0 with this decision (or abstained).
    case decided(PluginDecision)
    /// The call did not give a decision: the hook returned non-zero, the host died or was killed, the call
    /// passed its deadline. The site's fallback applies in its place.
    case failed(reason: String)
}
