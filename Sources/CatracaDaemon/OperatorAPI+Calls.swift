import CatracaHTTP
import CatracaJSON
import CatracaStore

/// `GET /v1/calls?sn=&limit=`: finished intercom calls and monitoring sessions, newest first.
extension OperatorAPI {
    static let defaultCallLimit = 100

    func calls(query: QueryParameters, respond: @escaping (HTTPResponse) -> Void) throws {
        try query.requireOnly(["sn", "limit"])
        let sn = query["sn"]
        let limit = Int(try query.integer("limit", in: 1...Int64(OperatorAPI.largestRecordLimit))
                        ?? Int64(OperatorAPI.defaultCallLimit))
        reads.read({ try $0.calls(sn: sn, limit: limit) }) { result in
            switch result {
            case .success(let calls):
                respond(APIResponse.json(["calls": .array(calls.map { .object(OperatorAPI.json($0)) })]))
            case .failure(let error):
                respond(OperatorAPI.readFailure(error).response)
            }
        }
    }

    static func json(_ call: StoredCall) -> JSONObject {
        [
            "id": .number(JSONNumber(call.id)),
            "kind": .string(call.kind),
            "sn": .string(call.sn),
            "session_id": .string(call.sessionID),
            "input_mode": call.inputMode.map(JSONValue.integer) ?? .null,
            "input_number": call.inputNumber.map(JSONValue.string) ?? .null,
            "rang": (try? JSONReader().parse(call.rangJSON)) ?? .array([]),
            "answered_by": call.answeredBy.map(JSONValue.string) ?? .null,
            "started_at": .string(call.startedAt),
            "answered_at": call.answeredAt.map(JSONValue.string) ?? .null,
            "ended_at": .string(call.endedAt),
            "duration_seconds": .double(call.durationSeconds),
            "talk_seconds": call.talkSeconds.map(JSONValue.double) ?? .null,
            "ending": .string(call.ending),
        ]
    }
}
