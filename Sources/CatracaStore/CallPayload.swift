import CatracaJSON

/// Builds the JSON payload of a `call` outbox entry (`docs/upstream/payloads.md`, kind `call`, version 1).
enum CallPayload {
    static let kind = "call"
    static let version = 1

    static func json(_ call: CallRow, id: Int64, site: String) -> String {
        var object: JSONObject = [
            "version": .integer(version),
            "site": .string(site),
            "id": .number(JSONNumber(id)),
            "kind": .string(call.kind),
            "sn": .string(call.sn),
            "session_id": .string(call.sessionID),
            "rang": .array(call.rang.map { .string($0) }),
            "started_at": .string(StoreTimestamp.format(call.startedAt)),
            "ended_at": .string(StoreTimestamp.format(call.endedAt)),
            "duration_seconds": .double(call.durationSeconds),
            "ending": .string(call.ending),
        ]
        if let mode = call.inputMode { object.append(key: "input_mode", value: .integer(mode)) }
        if let number = call.inputNumber { object.append(key: "input_number", value: .string(number)) }
        if let phone = call.answeredBy { object.append(key: "answered_by", value: .string(phone)) }
        if let answeredAt = call.answeredAt {
            object.append(key: "answered_at", value: .string(StoreTimestamp.format(answeredAt)))
        }
        if let talk = call.talkSeconds { object.append(key: "talk_seconds", value: .double(talk)) }
        return JSONWriter().text(.object(object))
    }
}
