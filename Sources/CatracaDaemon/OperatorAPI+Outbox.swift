import CatracaHTTP
import CatracaJSON
import CatracaStore
import CatracaUpstream
import Foundation

/// What the store says of the outbox, read for `/v1/status`.
struct OutboxFigures {
    var backlog: OutboxBacklog
    var transports: [OutboxTransportFigures]

    static func read(_ reader: StoreReader, transports: [String]) throws -> OutboxFigures {
        OutboxFigures(backlog: try reader.outboxBacklog(transports: transports),
                      transports: try transports.map { try reader.outboxFigures(transport: $0) })
    }
}

/// `/v1/status`'s `outbox`, `GET /v1/outbox/parked`, `POST /v1/outbox/retry`.
extension OperatorAPI {
    func outboxStatus(_ figures: OutboxFigures) -> JSONObject {
        let live = upstream?.transportStatuses() ?? []
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let transports: [JSONValue] = figures.transports.map { stored in
            let status = live.first { $0.name == stored.name }
            return [
                "name": .string(stored.name),
                "connected": status?.connected.map { .bool($0) } ?? .null,
                "last_error": status?.lastError.map { .string($0) } ?? .null,
                "next_retry_at": status?.nextRetryAt.map { .string(formatter.string(from: $0)) } ?? .null,
                "delivered": .number(JSONNumber(stored.delivered)),
                "parked": .number(JSONNumber(stored.parked)),
            ]
        }
        return [
            "backlog": .number(JSONNumber(figures.backlog.entries)),
            "oldest_undelivered_age_seconds": oldestAge(figures.backlog.oldestCreatedAt).map { .integer($0) } ?? .null,
            "parked_entries": .number(JSONNumber(figures.backlog.parkedEntries)),
            "transports": .array(transports),
            "alarm": .bool(upstream?.isAlarmRaised ?? false),
        ]
    }

    /// Whole seconds since `createdAt` (UTC ISO-8601 with milliseconds), never negative.
    private func oldestAge(_ createdAt: String?) -> Int? {
        guard let createdAt else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: createdAt) else { return nil }
        return max(0, Int(loop.timeSource.wallClock.timeIntervalSince(date)))
    }

    func outboxParked(respond: @escaping (HTTPResponse) -> Void) {
        reads.read({ reader in try reader.outboxParkedBatches() }) { result in
            switch result {
            case .success(let batches):
                let listed: [JSONValue] = batches.map { batch in
                    [
                        "transport": .string(batch.transport), "key": .string(batch.key),
                        "first_id": .number(JSONNumber(batch.firstID)), "last_id": .number(JSONNumber(batch.lastID)),
                        "entries": .integer(batch.entries), "reason": .string(batch.reason),
                        "parked_at": .string(batch.parkedAt), "requeued": .bool(batch.requeued),
                    ]
                }
                respond(APIResponse.json(["parked": .array(listed)]))
            case .failure(let error):
                respond(OperatorAPI.readFailure(error).response)
            }
        }
    }

    func outboxRetry(body: JSONObject, respond: @escaping (HTTPResponse) -> Void) throws {
        for key in body.keys where key != "parked" {
            throw APIError.invalidRequest("unknown member \"\(key)\"; the body is {} or {\"parked\": true}")
        }
        let parked = try body["parked"].map { value -> Bool in
            guard let flag = value.bool else { throw APIError.invalidRequest("\"parked\" must be true or false") }
            return flag
        } ?? false
        guard let upstream, !upstream.transportNames.isEmpty else {
            throw APIError(status: 409, code: "no_upstream",
                           message: "no upstream is configured; set upstream.http or upstream.mqtt in the config file")
        }
        let loop = self.loop
        upstream.retry(parked: parked) { result in
            loop.execute {
                switch result {
                case .success(let requeued):
                    respond(APIResponse.json(["retrying": .array(upstream.transportNames.map { .string($0) }),
                                              "requeued_parked": .integer(requeued)]))
                case .failure(let error):
                    respond(APIError.storeUnavailable(error.description).response)
                }
            }
        }
    }
}
