import Foundation

/// A finished intercom call or monitoring session, as the store keeps it (`calls`, outbox kind `call`).
public struct CallRow: Equatable, Sendable {
    /// `intercom` (the terminal called) or `monitor` (a phone or browser watched).
    public var kind: String
    public var sn: String
    public var sessionID: String
    public var inputMode: Int?
    public var inputNumber: String?
    /// The phone numbers rung, in order.
    public var rang: [String]
    /// The phone that answered, or the phone or browser that watched.
    public var answeredBy: String?
    public var startedAt: Date
    public var answeredAt: Date?
    public var endedAt: Date
    public var durationSeconds: Double
    public var talkSeconds: Double?
    /// How it ended: `unanswered`, `refused`, `hung_up_by_phone`, ... (see `CallSummary.Ending`).
    public var ending: String

    public init(kind: String, sn: String, sessionID: String, inputMode: Int?, inputNumber: String?, rang: [String],
                answeredBy: String?, startedAt: Date, answeredAt: Date?, endedAt: Date, durationSeconds: Double,
                talkSeconds: Double?, ending: String) {
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

/// A stored call, as `catraca calls` and `GET /v1/calls` list it; times as stored (UTC ISO-8601).
public struct StoredCall: Equatable, Sendable {
    public var id: Int64
    public var kind: String
    public var sn: String
    public var sessionID: String
    public var inputMode: Int?
    public var inputNumber: String?
    /// JSON array text of the phone numbers rung.
    public var rangJSON: String
    public var answeredBy: String?
    public var startedAt: String
    public var answeredAt: String?
    public var endedAt: String
    public var durationSeconds: Double
    public var talkSeconds: Double?
    public var ending: String
}
