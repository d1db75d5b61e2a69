import CatracaJSON
import CatracaTerminal
import Foundation

/// What goes into the outbox for a record, and how its payload reads (`docs/upstream/payloads.md`, kind
/// `record`, version 1).
public struct RecordOutboxPolicy: Equatable, Sendable {
    /// The site's name, carried in every payload so that a central system can tell sites apart.
    public var site: String
    /// Whether photos go upstream (base64 inside the payload); off by default: they are large and personal.
    public var includePhotos: Bool

    public init(site: String = "site", includePhotos: Bool = false) {
        self.site = site
        self.includePhotos = includePhotos
    }
}

/// Builds the JSON payload of a `record` outbox entry.
enum RecordPayload {
    static let kind = "record"
    static let version = 1

    static func json(_ record: AccessRecord, id: Int64, receivedAt: String, policy: RecordOutboxPolicy) -> String {
        let identity = record.identity
        var object: JSONObject = [
            "version": .integer(version),
            "site": .string(policy.site),
            "id": .number(JSONNumber(id)),
            "sn": .string(identity.sn),
            "enrollid": .number(JSONNumber(identity.enrollid)),
            "time": .string(identity.time),
            "mode": .integer(identity.mode),
            "inout": .integer(identity.inOut),
            "event": .integer(identity.event),
            "received_at": .string(receivedAt),
        ]
        if let mode = record.verifyMode { object.append(key: "verifymode", value: .integer(mode)) }
        if let temperature = record.temperature, let number = JSONNumber(temperature) {
            object.append(key: "temperature", value: .number(number))
        }
        if let name = record.name { object.append(key: "name", value: .string(name)) }
        if let extra = record.extraJSON { object.append(key: "extra", value: extraValue(extra)) }
        if policy.includePhotos, let photo = record.photo {
            object.append(key: "photo", value: [
                "media_type": .string(photo.mediaType),
                "base64": .string(Data(photo.bytes).base64EncodedString()),
            ])
        }
        return JSONWriter().text(.object(object))
    }

    /// Keys the daemon did not know, as the object they were; kept as text should it not read back.
    private static func extraValue(_ text: String) -> JSONValue {
        (try? JSONReader().parse(text)) ?? .string(text)
    }
}
