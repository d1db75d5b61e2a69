import CatracaHTTP
import CatracaJSON
import CatracaStore

/// `GET /v1/records?sn=&enrollid=&from=&to=&after=&limit=`.
extension OperatorAPI {
    static let defaultRecordLimit = 100
    static let largestRecordLimit = 1_000

    func records(query: QueryParameters, respond: @escaping (HTTPResponse) -> Void) throws {
        try query.requireOnly(["sn", "enrollid", "from", "to", "after", "limit"])
        let recordQuery = RecordQuery(
            sn: query["sn"], enrollid: try query.integer("enrollid", in: 0...Int64.max),
            from: query["from"], to: query["to"], afterID: try query.integer("after", in: 0...Int64.max),
            limit: Int(try query.integer("limit", in: 1...Int64(OperatorAPI.largestRecordLimit))
                       ?? Int64(OperatorAPI.defaultRecordLimit))
        )
        reads.read({ try $0.records(matching: recordQuery) }) { result in
            switch result {
            case .success(let page):
                respond(APIResponse.json([
                    "records": .array(page.records.map { .object(OperatorAPI.json($0)) }),
                    "next": page.next.map { .number(JSONNumber($0)) } ?? .null,
                ]))
            case .failure(let error):
                respond(OperatorAPI.readFailure(error).response)
            }
        }
    }

    /// A malformed filter is the caller's mistake (400); anything else means the store failed (503).
    static func readFailure(_ error: Error) -> APIError {
        if StoreReads.isBadArgument(error), let storeError = error as? StoreError,
           case .invalidArgument(let detail) = storeError.kind {
            return .invalidRequest(detail)
        }
        return .storeUnavailable("\(error)")
    }

    static func json(_ record: StoredRecord) -> JSONObject {
        [
            "id": .number(JSONNumber(record.id)),
            "sn": .string(record.identity.sn),
            "enrollid": .number(JSONNumber(record.identity.enrollid)),
            "time": .string(record.identity.time),
            "mode": .integer(record.identity.mode),
            "inout": .integer(record.identity.inOut),
            "event": .integer(record.identity.event),
            "verifymode": record.verifyMode.map(JSONValue.integer) ?? .null,
            "temp": record.temperature.map(JSONValue.double) ?? .null,
            "name": record.name.map(JSONValue.string) ?? .null,
            "received_at": .string(record.receivedAt),
            "has_photo": .bool(record.hasPhoto),
        ]
    }
}
