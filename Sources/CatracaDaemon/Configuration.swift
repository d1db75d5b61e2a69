import CatracaCore
import CatracaMQTT
import Foundation

/// Everything the daemon reads from its config file and command line, validated once at start.
///
/// Each section has defaults that work on a fresh machine; `etc/catraca.json5` documents every key.
public struct Configuration: Equatable, Sendable {
    public var site = Site()
    public var terminals = Terminals()
    public var webSocket = WebSocket()
    public var store = Store()
    public var log = Log()
    public var api = API()
    public var commands = Commands()
    /// The site's turnstiles by name; one, `main`, on simulated or auto-detected GPIO by default.
    public var turnstiles: [String: Turnstile] = ["main": Turnstile()]
    public var passages = Passages()
    public var upstream = Upstream()
    /// The intercom: phones' port, phones, STUN/TURN; off unless `intercom.listen` is set.
    public var intercom = Intercom()
    public var plugins = Plugins()
    /// Serves an echo endpoint on the terminals' port at this path. For conformance tests only.
    public var webSocketEchoPath: String?

    public init() {}

    public struct Site: Equatable, Sendable {
        /// Names the installation in logs and, later, upstream topics.
        public var name = "site"
        /// IANA time zone of the site (`America/Sao_Paulo`); nil uses the box's zone.
        public var timeZone: String?
    }

    public struct Terminals: Equatable, Sendable {
        /// Where terminals connect.
        public var listen = "0.0.0.0:7792"
        /// Serial numbers allowed to register, each optionally pinned to an IP address; nil allows any.
        public var allowList: [String: AllowedTerminal]?
        /// The `message` sent in `sendlog` acknowledgements.
        public var ackMessage = ""
    }

    public struct AllowedTerminal: Equatable, Sendable {
        /// The only IP address this serial number may connect from; nil allows any.
        public var address: String?
    }

    public struct WebSocket: Equatable, Sendable {
        public var maxMessageBytes = 16 * 1024 * 1024
        public var handshakeTimeoutSeconds = 10.0
        public var pingIntervalSeconds = 30.0
        public var deadPeerTimeoutSeconds = 75.0
        public var messageTimeoutSeconds = 120.0
        /// Bytes all connections together may hold in partial messages and unsent output; past it,
        /// reading pauses until they drain.
        public var bufferBudgetBytes = 64 * 1024 * 1024
    }

    public struct Store: Equatable, Sendable {
        /// The SQLite database file; its folder is created when missing.
        public var path = Store.defaultPath
        /// Days to keep record photos; 0 keeps them forever.
        public var photoRetentionDays = 90

        /// `$STATE_DIRECTORY/catraca.db` under systemd, `/var/lib/catraca/catraca.db` otherwise.
        public static var defaultPath: String {
            let stateDirectory = ProcessInfo.processInfo.environment["STATE_DIRECTORY"]
                .flatMap { $0.split(separator: ":").first.map(String.init) }
            return (stateDirectory ?? "/var/lib/catraca") + "/catraca.db"
        }
    }

    public struct API: Equatable, Sendable {
        /// Where the operators' HTTP API listens; loopback unless told otherwise.
        public var listen = "127.0.0.1:7793"
        /// The bearer token every call must carry; nil reads (or first creates) `tokenFile`.
        public var token: String?
        /// Holds the token when `token` is not set; nil means `api-token` beside the database.
        public var tokenFile: String?
    }

    public struct Commands: Equatable, Sendable {
        /// How long a command (or each page of a listing) waits for the terminal's reply.
        public var replyTimeoutSeconds = 20.0
        /// How long to wait for a reply the protocol does not document (cleanadmin, settime, opendoor)
        /// before reporting the command as sent.
        public var unansweredWaitSeconds = 3.0
        /// Commands that may wait for one terminal at once; more are refused.
        public var maxQueuedPerTerminal = 32
        /// Pages a listing may take before the terminal is taken to never end it.
        public var maxPages = 10_000
        /// What the daemon does when a terminal registers.
        public var onRegistration = OnRegistration()
    }

    public struct OnRegistration: Equatable, Sendable {
        /// Sets the terminal's clock, but only while this box's own clock is synchronised.
        public var setTime = true
        /// Asks for the records the terminal holds as new, so that those missed while away arrive.
        public var pullNewLogs = false
    }

    /// Where the outbox goes (docs/upstream/payloads.md). No transport configured: nothing is sent, and the
    /// outbox still fills, so that an upstream configured later receives the history.
    public struct Upstream: Equatable, Sendable {
        /// The HTTP transport; nil when not configured.
        public var http: HTTPUpstreamSettings?
        /// The MQTT transport; nil when not configured. Runs next to `http` when both are set, each with
        /// its own delivery state in the store.
        public var mqtt: MQTTUpstreamConfiguration?
        /// Whether record photos go upstream (base64 in the payload).
        public var includePhotos = false
        /// Days a delivered entry is kept before it is deleted; 0 keeps them forever.
        public var keepDeliveredDays = 7
        /// Entries waiting for upstream past which an alarm is raised (log, status); 0 never.
        public var backlogAlarmEntries = 100_000
    }

    public struct HTTPUpstreamSettings: Equatable, Sendable {
        /// `http://HOST[:PORT]/PATH` that batches are POSTed to.
        public var url: String
        /// Sent as `Authorization: Bearer <token>`; nil sends none.
        public var token: String?
        /// For one batch's whole exchange: connect, send, answer.
        public var timeoutSeconds = 30.0
        /// Entries per POST at most.
        public var batchSize = 500

        public init(url: String, token: String? = nil) {
            self.url = url
            self.token = token
        }
    }

    /// `upstream.mqtt`: the broker and how many entries the forwarder hands the transport at once.
    public struct MQTTUpstreamConfiguration: Equatable, Sendable {
        /// The broker, the session and TLS; `site` is `site.name`.
        public var broker: MQTTUpstreamSettings
        /// Entries handed to the transport at once: it publishes them all and reports the batch delivered
        /// once every PUBACK is in.
        public var batchSize = 500

        public init(broker: MQTTUpstreamSettings) {
            self.broker = broker
        }
    }

    public struct Turnstile: Equatable, Sendable {
        /// Which turn means entering: `A` (the board's FIRE IN pulse) or `B` (EXIT BUTTON).
        public var inDirection = "A"
        /// Serial numbers of the terminals on the entry side.
        public var entry: [String] = []
        /// Serial numbers of the terminals on the exit side.
        public var exit: [String] = []
        /// Of those, the terminals whose TurnstilePass firmware reports turns in their records (`inout` 5-7).
        public var reportsTurns: [String] = []
        public var gpio = TurnstileGPIO()
    }

    public struct TurnstileGPIO: Equatable, Sendable {
        /// `auto` (the first chip with both lines, simulated when the box has none), `simulated`, or a chip's
        /// name or path (`gpiochip0`, `/dev/gpiochip0`).
        public var chip = "auto"
        /// The FIRE IN line (direction A): its name or its offset on the chip.
        public var fireIn = "fire-in"
        /// The EXIT BUTTON line (direction B).
        public var exitButton = "exit-button"
        /// Asks the chip to pull the lines up, for boards whose relays only pull to ground.
        public var pullUp = false
        public var debounceMilliseconds = 5.0
        /// Pulses shorter than this are noise, not turns.
        public var minPulseMilliseconds = 20.0
        /// A line held active longer than this is reported stuck, not counted.
        public var maxPulseMilliseconds = 3_000.0
    }

    public struct Passages: Equatable, Sendable {
        /// How long a grant waits for its turn (the terminal's re-verify time).
        public var windowSeconds = 10.0
        /// How long a turn without a grant waits for a late record before it is an unauthorised rotation.
        public var rotationGraceSeconds = 1.5
        /// A second turn the same way within this time is the same turn seen twice.
        public var bounceGuardMilliseconds = 300.0
        /// A record whose terminal time is further than this from the box's clock is no grant: a terminal
        /// sending records from hours or days ago (after an outage) must not open windows for turns now.
        /// 0 takes every record, whatever its time.
        public var grantMaxAgeSeconds = 300.0
    }

    public struct Log: Equatable, Sendable {
        public var level = LogLevel.info
    }
}
