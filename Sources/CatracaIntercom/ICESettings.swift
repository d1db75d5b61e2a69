import CatracaJSON
import CatracaWebSocket
import Foundation

/// The STUN and TURN servers handed to phones (`phonereg`) and terminals (`enablewebrtc`).
///
/// With `sharedSecret` (coturn's `use-auth-secret`), each peer gets its own time-limited credentials by the
/// TURN REST scheme: username `<expiry unix seconds>:<name>`, password base64(HMAC-SHA1(secret, username)).
/// Without it, the fixed `turnUsername`/`turnPassword` are handed out as they are.
public struct ICESettings: Equatable, Sendable {
    /// `stun:HOST:PORT`; nil sends none.
    public var stunServer: String?
    /// `turn:HOST:PORT`; nil sends none.
    public var turnServer: String?
    public var turnUsername: String?
    public var turnPassword: String?
    public var sharedSecret: String?
    /// How long TURN REST credentials last.
    public var credentialLifetime: TimeInterval

    public init(stunServer: String? = nil, turnServer: String? = nil, turnUsername: String? = nil,
                turnPassword: String? = nil, sharedSecret: String? = nil, credentialLifetime: TimeInterval = 86_400) {
        self.stunServer = stunServer
        self.turnServer = turnServer
        self.turnUsername = turnUsername
        self.turnPassword = turnPassword
        self.sharedSecret = sharedSecret
        self.credentialLifetime = credentialLifetime
    }

    /// Whether what is handed out expires (TURN REST credentials) and must be refreshed on terminals.
    public var expires: Bool { turnServer != nil && sharedSecret != nil }

    /// `stunserver`, `turnserver`, `turnusername`, `turnpassword` for the peer called `name` (a phone number or
    /// a terminal's serial number), as of `now`. Empty strings where nothing is configured: firmwares expect
    /// the keys.
    public func fields(for name: String, now: Date) -> JSONObject {
        var username = turnUsername ?? ""
        var password = turnPassword ?? ""
        if let secret = sharedSecret, turnServer != nil {
            let expiry = Int64(now.timeIntervalSince1970 + credentialLifetime)
            username = "\(expiry):\(name)"
            password = ICESettings.restPassword(secret: secret, username: username)
        }
        return [
            "stunserver": .string(stunServer ?? ""), "turnserver": .string(turnServer ?? ""),
            "turnusername": .string(username), "turnpassword": .string(password),
        ]
    }

    /// When TURN REST credentials with `username` (`<expiry>:<name>`) from these settings expire; nil for any other
    /// username (fixed credentials, or another TURN server's).
    public func expiry(ofUsername username: String, turnServer server: String?) -> Date? {
        guard expires, server == turnServer, let colon = username.firstIndex(of: ":"),
              let seconds = TimeInterval(username[..<colon]) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// Whether credentials expiring at `expiry` are due for renewal at `now`: within the last quarter of their
    /// lifetime, so that a terminal that is briefly away still gets new ones in time.
    public func renewalDue(expiringAt expiry: Date, now: Date) -> Bool {
        expiry.timeIntervalSince(now) <= credentialLifetime / 4
    }

    /// base64(HMAC-SHA1(secret, username)), coturn's check of a TURN REST password.
    public static func restPassword(secret: String, username: String) -> String {
        let code = HMACSHA1.authenticationCode(key: Array(secret.utf8), message: Array(username.utf8))
        return Data(code).base64EncodedString()
    }
}
