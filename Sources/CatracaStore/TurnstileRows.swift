import Foundation

/// A turn the turnstile board reported, as the store keeps it until it ends in a passage.
public struct RotationRow: Equatable, Sendable {
    public var turnstile: String
    /// `A` or `B`.
    public var direction: String
    /// Wall-clock time of the pulse's falling edge (the turn), for people and for a restart's ages.
    public var fellAt: Date
    public var widthMilliseconds: Double

    public init(turnstile: String, direction: String, fellAt: Date, widthMilliseconds: Double) {
        self.turnstile = turnstile
        self.direction = direction
        self.fellAt = fellAt
        self.widthMilliseconds = widthMilliseconds
    }
}

/// A closed passage to store, with the inputs it closes.
public struct PassageRow: Equatable, Sendable {
    public var turnstile: String
    /// `turned_a`, `turned_b`, `not_turned` or `unauthorised_rotation`.
    public var outcome: String
    /// `A` or `B` when the turnstile turned.
    public var direction: String?
    /// `entry` or `exit`: which way the person went, by the turnstile's in direction.
    public var side: String?
    public var turnedAgainstGrant: Bool
    /// `record`, `server_allow` or `open_door`; nil for an unauthorised rotation.
    public var grantKind: String?
    public var sn: String?
    public var enrollid: Int64?
    /// The grant's record, when the grant was one.
    public var recordID: Int64?
    /// Every stored grant this passage closes: its own and the person's re-verifications.
    public var closedRecordIDs: [Int64]
    public var rotationID: Int64?
    public var fellAt: Date?
    public var closedAt: Date

    public init(turnstile: String, outcome: String, direction: String? = nil, side: String? = nil,
                turnedAgainstGrant: Bool = false, grantKind: String? = nil, sn: String? = nil, enrollid: Int64? = nil,
                recordID: Int64? = nil, closedRecordIDs: [Int64] = [], rotationID: Int64? = nil, fellAt: Date? = nil,
                closedAt: Date) {
        self.turnstile = turnstile
        self.outcome = outcome
        self.direction = direction
        self.side = side
        self.turnedAgainstGrant = turnedAgainstGrant
        self.grantKind = grantKind
        self.sn = sn
        self.enrollid = enrollid
        self.recordID = recordID
        self.closedRecordIDs = closedRecordIDs
        self.rotationID = rotationID
        self.fellAt = fellAt
        self.closedAt = closedAt
    }
}

/// A stored passage, as exports and the API show it.
public struct StoredPassage: Equatable, Sendable {
    public var id: Int64
    public var turnstile: String
    public var outcome: String
    public var direction: String?
    public var side: String?
    public var turnedAgainstGrant: Bool
    public var grantKind: String?
    public var sn: String?
    public var enrollid: Int64?
    public var recordID: Int64?
    /// The grant record's terminal time, when there is one.
    public var recordTime: String?
    public var rotationID: Int64?
    /// UTC ISO-8601.
    public var fellAt: String?
    public var closedAt: String
}

/// A rotation stored and not yet closed: a restart hands it back to the joiner with its age.
public struct OpenRotation: Equatable, Sendable {
    public var id: Int64
    public var row: RotationRow
}

/// A grant stored and not yet closed: its record, where, and when it arrived.
public struct OpenGrant: Equatable, Sendable {
    public var record: StoredRecord
    public var turnstile: String
    public var receivedAt: Date
}
