import CatracaJSON

/// Builds the JSON payload of a `passage` outbox entry (`docs/upstream/payloads.md`, kind `passage`, version 1).
enum PassagePayload {
    static let kind = "passage"
    static let version = 1

    static func json(_ passage: PassageRow, id: Int64, site: String) -> String {
        var object: JSONObject = [
            "version": .integer(version),
            "site": .string(site),
            "id": .number(JSONNumber(id)),
            "turnstile": .string(passage.turnstile),
            "outcome": .string(passage.outcome),
            "closed_at": .string(StoreTimestamp.format(passage.closedAt)),
            "turned_against_grant": .bool(passage.turnedAgainstGrant),
        ]
        if let direction = passage.direction { object.append(key: "direction", value: .string(direction)) }
        if let side = passage.side { object.append(key: "side", value: .string(side)) }
        if let kind = passage.grantKind { object.append(key: "grant", value: .string(kind)) }
        if let sn = passage.sn { object.append(key: "sn", value: .string(sn)) }
        if let enrollid = passage.enrollid { object.append(key: "enrollid", value: .number(JSONNumber(enrollid))) }
        if let recordID = passage.recordID { object.append(key: "record_id", value: .number(JSONNumber(recordID))) }
        if let fellAt = passage.fellAt {
            object.append(key: "turned_at", value: .string(StoreTimestamp.format(fellAt)))
        }
        return JSONWriter().text(.object(object))
    }
}
