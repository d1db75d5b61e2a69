import Foundation

/// What identifies a record: the fields a terminal sends again, unchanged, when it resends it.
///
/// Two events in the same second by the same person differ in `mode`, `inOut` or `event`, so all of
/// them take part. The store keeps one record per identity.
public struct RecordIdentity: Hashable, Sendable {
    public var sn: String
    public var enrollid: Int64
    /// The terminal's wall-clock time, `YYYY-MM-DD HH:MM:SS`.
    public var time: String
    public var mode: Int
    public var inOut: Int
    public var event: Int

    public init(sn: String, enrollid: Int64, time: String, mode: Int, inOut: Int, event: Int) {
        self.sn = sn
        self.enrollid = enrollid
        self.time = time
        self.mode = mode
        self.inOut = inOut
        self.event = event
    }
}

/// A photo that came with a record, decoded from base64.
public struct Photo: Equatable, Sendable {
    /// The media type, from a `data:` prefix when the terminal sent one; `image/jpeg` otherwise.
    public var mediaType: String
    public var bytes: [UInt8]

    public init(mediaType: String = "image/jpeg", bytes: [UInt8]) {
        self.mediaType = mediaType
        self.bytes = bytes
    }
}

/// One access log entry from a terminal (`sendlog`, `getnewlog`, `getalllog`).
public struct AccessRecord: Equatable, Sendable {
    public var identity: RecordIdentity
    /// `verifymode` when the firmware sends it.
    public var verifyMode: Int?
    /// Body temperature (`temp`) when the terminal measures it.
    public var temperature: Double?
    /// The person's name when the firmware sends it.
    public var name: String?
    public var photo: Photo?
    /// Keys the daemon does not know, as a JSON object text, kept so that nothing a firmware sends is lost.
    public var extraJSON: String?

    public init(identity: RecordIdentity, verifyMode: Int? = nil, temperature: Double? = nil, name: String? = nil,
                photo: Photo? = nil, extraJSON: String? = nil) {
        self.identity = identity
        self.verifyMode = verifyMode
        self.temperature = temperature
        self.name = name
        self.photo = photo
        self.extraJSON = extraJSON
    }
}

/// A record that could not be read, kept with the reason instead of being dropped.
public struct QuarantinedRecord: Equatable, Sendable {
    /// The terminal it came from, when known.
    public var sn: String?
    /// The record as received (JSON text).
    public var raw: String
    /// Why it could not be read, e.g. `enrollid is missing`.
    public var reason: String

    public init(sn: String?, raw: String, reason: String) {
        self.sn = sn
        self.raw = raw
        self.reason = reason
    }
}

/// The records of one `sendlog` message (or one page of `getnewlog`), stored in one go.
///
/// The terminal is acknowledged once the whole batch is committed.
public struct RecordBatch: Sendable {
    /// Distinguishes batches of one connection while their commits are in flight.
    public var id: UInt64
    public var sn: String
    public var records: [AccessRecord]
    public var quarantined: [QuarantinedRecord]
    /// When the daemon received it (wall clock).
    public var receivedAt: Date

    public init(id: UInt64, sn: String, records: [AccessRecord], quarantined: [QuarantinedRecord], receivedAt: Date) {
        self.id = id
        self.sn = sn
        self.records = records
        self.quarantined = quarantined
        self.receivedAt = receivedAt
    }
}

/// What committing a batch did.
public struct BatchOutcome: Equatable, Sendable {
    /// Records stored for the first time.
    public var inserted: Int
    /// Records already stored (a resend).
    public var duplicates: Int
    /// Records kept in quarantine.
    public var quarantined: Int
    /// The newly stored records that are grants at a turnstile (the store is told which are), in order.
    public var grants: [NewGrant]

    public init(inserted: Int, duplicates: Int, quarantined: Int, grants: [NewGrant] = []) {
        self.inserted = inserted
        self.duplicates = duplicates
        self.quarantined = quarantined
        self.grants = grants
    }
}

/// A record stored for the first time that gives someone permission to pass a turnstile.
public struct NewGrant: Equatable, Sendable {
    /// Its position in the batch's `records`.
    public var index: Int
    /// Its row id in the store.
    public var recordID: Int64
    /// The turnstile it is a grant at.
    public var turnstile: String

    public init(index: Int, recordID: Int64, turnstile: String) {
        self.index = index
        self.recordID = recordID
        self.turnstile = turnstile
    }
}

/// A terminal's registration as the store keeps it: who it is, what it reported, where it was seen.
public struct TerminalRegistration: Equatable, Sendable {
    public var sn: String
    /// The `devinfo` object as JSON text, or nil when the terminal sent none.
    public var devinfoJSON: String?
    /// `host:port` the terminal connected from.
    public var address: String
    public var seenAt: Date

    public init(sn: String, devinfoJSON: String?, address: String, seenAt: Date) {
        self.sn = sn
        self.devinfoJSON = devinfoJSON
        self.address = address
        self.seenAt = seenAt
    }
}
