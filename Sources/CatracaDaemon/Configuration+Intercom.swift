import CatracaCore
import CatracaIntercom
import CatracaServer

extension Configuration {
    /// The intercom (`intercom` in the config file): the phones' port, who may use it, and STUN/TURN.
    public struct Intercom: Equatable, Sendable {
        /// Where phones and browsers connect; nil (the default) opens no phones' port and turns the intercom off.
        public var listen: String?
        /// A call nobody answers within this time is cancelled on both sides.
        public var ringTimeoutSeconds = 30.0
        /// The numbers rung when a terminal calls its default number (`inputmode` 0).
        public var defaultPhones: [String] = []
        /// The phones allowed, by number, each with its secret.
        public var phones: [String: Phone] = [:]
        /// `stun:HOST:PORT` handed to phones and terminals.
        public var stun: String?
        public var turn: TURN?
        /// `enablewebrtc` sent to every terminal when it registers; nil sends none.
        public var enableOnRegistration: EnableWebRTC?

        public init() {}
    }

    public struct Phone: Equatable, Sendable {
        public var secret: String
        public var enrollid: Int64?
        public var apartment: String?
        public var name: String?
    }

    /// A TURN server: fixed credentials, or coturn's shared secret for time-limited ones (TURN REST).
    public struct TURN: Equatable, Sendable {
        /// `turn:HOST:PORT`.
        public var url: String
        public var username: String?
        public var password: String?
        public var sharedSecret: String?
        /// How long TURN REST credentials last; terminals get fresh ones before they expire.
        public var ttlSeconds = 86_400.0
    }

    /// What `enablewebrtc` turns on at a terminal.
    public struct EnableWebRTC: Equatable, Sendable {
        public var intercom = true
        public var monitor = true
        /// How the terminal's dialled number picks phones: 0 default, 1 enrollid, 2 phone number, 3 apartment.
        public var inputmode = 1
    }

    /// The switchboard's settings; `apiToken` lets browsers watch.
    func intercomSettings(apiToken: String?) -> IntercomSettings {
        IntercomSettings(
            phones: intercom.phones.mapValues {
                IntercomPhone(secret: $0.secret, enrollid: $0.enrollid, apartment: $0.apartment, name: $0.name)
            },
            defaultPhones: intercom.defaultPhones, ringTimeout: .seconds(intercom.ringTimeoutSeconds),
            browserToken: apiToken, ice: iceSettings)
    }

    var iceSettings: ICESettings {
        ICESettings(stunServer: intercom.stun, turnServer: intercom.turn?.url, turnUsername: intercom.turn?.username,
                    turnPassword: intercom.turn?.password, sharedSecret: intercom.turn?.sharedSecret,
                    credentialLifetime: intercom.turn?.ttlSeconds ?? 86_400)
    }

    /// Checks `intercom`, naming the first key that is wrong.
    func validateIntercom(_ fail: (String, String) -> ConfigurationError) throws {
        if let listen = intercom.listen, SocketAddress(parsing: listen) == nil {
            throw fail("intercom.listen", "\"\(listen)\" is not HOST:PORT with a numeric IP (e.g. 0.0.0.0:7794)")
        }
        guard intercom.ringTimeoutSeconds > 0, intercom.ringTimeoutSeconds <= 600 else {
            throw fail("intercom.ringTimeoutSeconds",
                       "must be above 0 and at most 600, is \(intercom.ringTimeoutSeconds)")
        }
        for (number, phone) in intercom.phones where phone.secret.count < 8 {
            throw fail("intercom.phones.\(number).secret", "must be at least 8 characters (it is all that proves the "
                       + "phone)")
        }
        for number in intercom.defaultPhones where intercom.phones[number] == nil {
            throw fail("intercom.defaultPhones", "\(number) is not in intercom.phones")
        }
        if let turn = intercom.turn {
            guard turn.url.hasPrefix("turn:") || turn.url.hasPrefix("turns:") else {
                throw fail("intercom.turn.url", "\"\(turn.url)\" does not start with turn: or turns:")
            }
            guard turn.ttlSeconds >= 600 else {
                throw fail("intercom.turn.ttlSeconds", "must be at least 600 (credentials are refreshed before "
                           + "they expire), is \(turn.ttlSeconds)")
            }
        }
        if let stun = intercom.stun, !stun.hasPrefix("stun:") {
            throw fail("intercom.stun", "\"\(stun)\" does not start with stun:")
        }
        if let enable = intercom.enableOnRegistration, !(0...3).contains(enable.inputmode) {
            throw fail("intercom.enableOnRegistration.inputmode", "must be 0, 1, 2 or 3, is \(enable.inputmode)")
        }
    }
}
