import CatracaHTTP
import CatracaJSON
import CatracaStore
import Foundation

/// `GET /v1/status`: the daemon, its store, its terminals, its outbox, its turnstiles' inputs.
extension OperatorAPI {
    func status(respond: @escaping (HTTPResponse) -> Void) {
        let transports = upstream?.transportNames ?? []
        reads.read({ reader in
            (try reader.counts(), try reader.terminals().map(\.sn),
             try OutboxFigures.read(reader, transports: transports))
        }) { [self] result in
            switch result {
            case .success(let (counts, known, outbox)):
                var body = statusBody(counts: counts, storedTerminals: known)
                body["outbox"] = .object(outboxStatus(outbox))
                body["turnstiles"] = turnstileStatus
                body["plugins"] = .array(plugins?.listing ?? [])
                respond(APIResponse.json(body))
            case .failure(let error):
                respond(OperatorAPI.readFailure(error).response)
            }
        }
    }

    private func statusBody(counts: StoreCounts, storedTerminals: [String]) -> JSONObject {
        let figures = figures()
        let connected = commander.connectedSerialNumbers
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return [
            "daemon": [
                "version": .string(CatracaVersion.current),
                "pid": .integer(Int(ProcessInfo.processInfo.processIdentifier)),
                "started_at": .string(formatter.string(from: startedAt)),
                "uptime_seconds": .integer(uptimeSeconds),
            ],
            "store": [
                "path": .string(storePath),
                "records": .number(JSONNumber(counts.records)),
                "quarantined": .number(JSONNumber(counts.quarantined)),
                "unsaved_registrations": .integer(figures.unsavedRegistrations),
                "batches_in_flight": .integer(figures.batchesInFlight),
            ],
            "terminals": [
                "connected": .integer(connected.count),
                // A terminal connected but not stored yet is known too.
                "known": .integer(Set(storedTerminals).union(connected).count),
            ],
        ]
    }
}
