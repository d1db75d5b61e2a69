import CatracaJSON

/// One access record in an emulated terminal's memory.
public struct StoredLog: Equatable, Sendable {
    /// The record as `sendlog`, `getnewlog` and `getalllog` carry it (`enrollid`, `time`, `mode`, ...).
    public var record: JSONObject
    /// Not yet given out by `getnewlog` (nor acknowledged after a push).
    public var isNew: Bool

    public init(record: JSONObject, isNew: Bool) {
        self.record = record
        self.isNew = isNew
    }

    /// The record's terminal time, `YYYY-MM-DD HH:MM:SS`.
    public var time: String { record["time"]?.string ?? "" }

    /// The date part of `time`, which `getalllog`'s `from`/`to` compare against.
    public var date: Substring { time.prefix(10) }
}
