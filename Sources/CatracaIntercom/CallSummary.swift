import Foundation

/// One finished call, as stored in the `calls` table and sent upstream.
public struct CallSummary: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable {
        /// The terminal called phones (`talkcall`).
        case intercom
        /// A phone or browser watched the terminal's camera (`monitorcall`).
        case monitor
    }

    /// How the call ended.
    public enum Ending: String, Equatable, Sendable, CaseIterable {
        /// No phone for what was dialled was connected; nothing rang.
        case noPhone = "no_phone"
        /// Nobody answered within the ring timeout.
        case unanswered
        /// Every ringing phone refused (or dropped before answering).
        case refused
        /// The terminal cancelled before anyone answered.
        case cancelledByTerminal = "cancelled_by_terminal"
        case hungUpByTerminal = "hung_up_by_terminal"
        case hungUpByPhone = "hung_up_by_phone"
        /// The answering (or watching) phone's connection dropped.
        case phoneDropped = "phone_dropped"
        case terminalDropped = "terminal_dropped"
        /// The terminal started a new call before this one ended.
        case replaced
        /// The daemon stopped.
        case shutdown
    }

    public var kind: Kind
    public var sn: String
    public var sessionID: String
    /// `inputmode` and `inputnum` of the terminal's `talkcall`; nil for monitoring.
    public var inputMode: Int?
    public var inputNumber: String?
    /// The phones that rang (their numbers), in order.
    public var rang: [String]
    /// The phone that answered, or the phone or browser that watched.
    public var answeredBy: String?
    public var startedAt: Date
    public var answeredAt: Date?
    public var endedAt: Date
    /// Seconds from the first ring (or the monitoring request) to the end.
    public var durationSeconds: Double
    /// Seconds from the answer to the end; nil when nobody answered.
    public var talkSeconds: Double?
    public var ending: Ending

    public init(kind: Kind, sn: String, sessionID: String, inputMode: Int?, inputNumber: String?, rang: [String],
                answeredBy: String?, startedAt: Date, answeredAt: Date?, endedAt: Date, durationSeconds: Double,
                talkSeconds: Double?, ending: Ending) {
        self.kind = kind
        self.sn = sn
        self.sessionID = sessionID
        self.inputMode = inputMode
        self.inputNumber = inputNumber
        self.rang = rang
        self.answeredBy = answeredBy
        self.startedAt = startedAt
        self.answeredAt = answeredAt
        self.endedAt = endedAt
        self.durationSeconds = durationSeconds
        self.talkSeconds = talkSeconds
        self.ending = ending
    }
}
