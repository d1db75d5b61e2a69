/// Which records a page of `StoreReader.records(matching:)` holds: filters, and a cursor by record id.
public struct RecordQuery: Equatable, Sendable {
    /// Only records from this terminal.
    public var sn: String?
    /// Only records of this person.
    public var enrollid: Int64?
    /// Only records whose terminal time is at or after this (`YYYY-MM-DD[ HH:MM[:SS]]`).
    public var from: String?
    /// Only records whose terminal time is at or before this, inclusive of a whole prefix: `2024-01-31`
    /// takes the whole day.
    public var to: String?
    /// Only records with an id above this: the last id of the previous page.
    public var afterID: Int64?
    /// At most this many records.
    public var limit: Int

    public init(sn: String? = nil, enrollid: Int64? = nil, from: String? = nil, to: String? = nil,
                afterID: Int64? = nil, limit: Int = 100) {
        self.sn = sn
        self.enrollid = enrollid
        self.from = from
        self.to = to
        self.afterID = afterID
        self.limit = limit
    }
}

/// One page of records and the cursor to the next.
public struct RecordPage: Equatable, Sendable {
    public var records: [StoredRecord]
    /// The id to pass as `afterID` for the next page; nil when this page is the last.
    public var next: Int64?
}

/// How much the store holds, for the daemon's status.
public struct StoreCounts: Equatable, Sendable {
    public var records: Int64
    public var quarantined: Int64
}
