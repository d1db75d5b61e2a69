import CatracaCore
import CatracaJSON

/// Turns the `record` entries of `sendlog` (and of `getnewlog`/`getalllog` pages) into access records.
///
/// Lenient where firmwares differ: numbers may come as strings, keys in another case, `mode`,
/// `inout` and `event` may be missing (0). A record that cannot be identified (no `enrollid`, no
/// readable `time`, a non-integer `mode`...) is quarantined with the reason, never dropped.
///
/// - An optional field with a value of the wrong type (`"temp":"hot"`) is not read, and kept as
///   received in `extraJSON` together with the keys the daemon does not know.
/// - An image that is not base64 is dropped and the record kept without a photo; the problem is
///   logged at debug. It is not kept in `extraJSON`: it may be megabytes of noise.
public struct RecordParser: Sendable {
    /// One entry's outcome.
    public enum Reading: Equatable, Sendable {
        case record(AccessRecord)
        case quarantined(QuarantinedRecord)
    }

    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Reads `entries`; a record without its own `sn` belongs to `fallbackSN` (the message's or the
    /// connection's serial number).
    public func parse(_ entries: [JSONValue], fallbackSN: String) -> ParsedRecords {
        var parsed = ParsedRecords(records: [], quarantined: [])
        for entry in entries {
            switch parse(entry, fallbackSN: fallbackSN) {
            case .record(let record): parsed.records.append(record)
            case .quarantined(let quarantined): parsed.quarantined.append(quarantined)
            }
        }
        return parsed
    }

    /// Reads one entry into a record, or the quarantine entry saying why it could not be read.
    public func parse(_ entry: JSONValue, fallbackSN: String) -> Reading {
        guard let object = entry.object else {
            let reason = "record is not an object"
            return .quarantined(QuarantinedRecord(sn: fallbackSN, raw: entry.description, reason: reason))
        }
        let fields = RecordFields(object)
        let sn = fields.sn ?? fallbackSN
        guard SerialNumber.isValid(sn) else {
            let reason = "record sn is not a serial number: \(SerialNumber.shown(sn))"
            return .quarantined(QuarantinedRecord(sn: fallbackSN, raw: entry.description, reason: reason))
        }

        do {
            var record = try identify(fields, sn: sn)
            record.photo = photo(from: fields, identity: record.identity)
            return .record(record)
        } catch let problem as RecordProblem {
            return .quarantined(QuarantinedRecord(sn: sn, raw: entry.description, reason: problem.reason))
        } catch {
            return .quarantined(QuarantinedRecord(sn: sn, raw: entry.description, reason: "\(error)"))
        }
    }

    /// Reads the identity and the optional fields, everything but the photo.
    private func identify(_ fields: RecordFields, sn: String) throws -> AccessRecord {
        var rejected: Set<String> = []

        guard let enrollValue = fields.known["enrollid"], !enrollValue.isNull else {
            throw RecordProblem("enrollid is missing")
        }
        guard let enrollid = enrollValue.int64 else {
            throw RecordProblem("enrollid is not an integer: \(RecordProblem.show(enrollValue))")
        }

        guard let timeValue = fields.known["time"], !timeValue.isNull else { throw RecordProblem("time is missing") }
        guard let timeText = timeValue.string, let time = RecordTime.canonical(timeText) else {
            throw RecordProblem("time is not YYYY-MM-DD HH:MM:SS: \(RecordProblem.show(timeValue))")
        }

        let identity = RecordIdentity(
            sn: sn, enrollid: enrollid, time: time,
            mode: try integerOrZero("mode", fields), inOut: try integerOrZero("inout", fields),
            event: try integerOrZero("event", fields)
        )

        let verifyMode = optional("verifymode", fields, rejected: &rejected) { $0.int }
        let temperature = optional("temp", fields, rejected: &rejected) { $0.double }
        let name = optional("name", fields, rejected: &rejected) { $0.string }
        return AccessRecord(identity: identity, verifyMode: verifyMode, temperature: temperature, name: name,
                            extraJSON: fields.extraJSON(adding: rejected))
    }

    /// `mode`, `inout` and `event` take part in the identity: missing means 0, anything but an
    /// integer means the record cannot be identified.
    private func integerOrZero(_ key: String, _ fields: RecordFields) throws -> Int {
        guard let value = fields.known[key], !value.isNull else { return 0 }
        guard let number = value.int else {
            throw RecordProblem("\(key) is not an integer: \(RecordProblem.show(value))")
        }
        return number
    }

    /// An optional field read with `read`; the key of a value `read` rejects goes into `rejected`.
    private func optional<T>(_ key: String, _ fields: RecordFields, rejected: inout Set<String>,
                             _ read: (JSONValue) -> T?) -> T? {
        guard let value = fields.known[key], !value.isNull else { return nil }
        guard let read = read(value) else {
            rejected.insert(key)
            return nil
        }
        return read
    }

    private func photo(from fields: RecordFields, identity: RecordIdentity) -> Photo? {
        guard let value = fields.known["image"], !value.isNull else { return nil }
        do {
            guard case .string(let text) = value else { throw RecordPhoto.Problem.notAString }
            return try RecordPhoto.decode(text)
        } catch {
            logger.debug("record photo dropped, record kept without it", [
                "sn": identity.sn, "enrollid": String(identity.enrollid), "time": identity.time,
                "reason": "\(error)",
            ])
            return nil
        }
    }
}

/// The records of one message, in the order received.
public struct ParsedRecords: Equatable, Sendable {
    public var records: [AccessRecord]
    public var quarantined: [QuarantinedRecord]

    public init(records: [AccessRecord], quarantined: [QuarantinedRecord]) {
        self.records = records
        self.quarantined = quarantined
    }
}

/// A record's members, with the ones the daemon reads found by lower-case key (the first one wins).
private struct RecordFields {
    let object: JSONObject
    /// Lower-case key -> value, for the known keys.
    private(set) var known: [String: JSONValue] = [:]
    /// For each member, the lower-case key it was read under; nil when it is extra.
    private var readAs: [String?] = []
    private(set) var sn: String?

    init(_ object: JSONObject) {
        self.object = object
        known.reserveCapacity(RecordParserKeys.known.count)
        for member in object {
            // Firmwares send lower-case keys; lowercasing only the others saves an allocation per member.
            let key = member.key.utf8.contains(where: { (65...90).contains($0) }) ? member.key.lowercased() : member.key
            let isRead = known[key] == nil && RecordParserKeys.known.contains(key)
            if isRead {
                known[key] = member.value
            }
            readAs.append(isRead ? key : nil)
        }
        if let text = known["sn"]?.string?.trimmingASCIIBlanks(), !text.isEmpty {
            sn = text
        }
    }

    /// The members not read, plus the known ones whose value was `rejected`, in the record's order, as
    /// JSON text; nil when there are none.
    func extraJSON(adding rejected: Set<String>) -> String? {
        var extra = JSONObject()
        for (member, key) in zip(object.members, readAs) where key == nil || rejected.contains(key!) {
            extra.append(key: member.key, value: member.value)
        }
        return extra.isEmpty ? nil : JSONValue.object(extra).description
    }
}

private enum RecordParserKeys {
    static let known: Set<String> = [
        "sn", "enrollid", "time", "mode", "inout", "event", "temp", "verifymode", "name", "image",
    ]
}

/// Why a record cannot be identified; becomes the quarantine reason.
private struct RecordProblem: Error {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }

    /// A value as it came, shortened so that a reason stays one readable line.
    static func show(_ value: JSONValue) -> String {
        let text = value.description
        return text.count <= 60 ? text : String(text.prefix(57)) + "..."
    }
}
