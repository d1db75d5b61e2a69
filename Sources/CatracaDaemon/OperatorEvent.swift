import CatracaJSON
import CatracaStore
import CatracaUpstream
import Foundation

/// Something operators watching the status page see at once: a terminal coming or going, records stored,
/// a passage closed, the outbox changing. Pushed to them as a server-sent event named `name`, `data` as JSON.
enum OperatorEvent: Equatable {
    /// A terminal registered. `clockDriftSeconds` is its clock minus this box's at registration, from the
    /// `time` in its devinfo; nil when it sent none.
    case terminalOnline(sn: String, address: String, firmware: String?, clockDriftSeconds: Double?)
    case terminalOffline(sn: String)
    /// A batch was committed: how many records were new, resent and quarantined.
    case recordsStored(sn: String, inserted: Int, duplicates: Int, quarantined: Int)
    case passageClosed(PassageRow)
    case outbox(UpstreamObservation)

    /// The event's name on the stream; the page listens by name.
    var name: String {
        switch self {
        case .terminalOnline: return "terminal_online"
        case .terminalOffline: return "terminal_offline"
        case .recordsStored: return "records_stored"
        case .passageClosed: return "passage"
        case .outbox: return "outbox"
        }
    }

    /// The event's `data`. Holds no names, photos or card numbers: only serial numbers and enrollids,
    /// which the API shows anyway.
    var data: JSONObject {
        switch self {
        case .terminalOnline(let sn, let address, let firmware, let drift):
            return ["sn": .string(sn), "address": .string(address), "firmware": firmware.map(JSONValue.string) ?? .null,
                    "clock_drift_seconds": drift.map(JSONValue.double) ?? .null]
        case .terminalOffline(let sn):
            return ["sn": .string(sn)]
        case .recordsStored(let sn, let inserted, let duplicates, let quarantined):
            return ["sn": .string(sn), "inserted": .integer(inserted), "duplicates": .integer(duplicates),
                    "quarantined": .integer(quarantined)]
        case .passageClosed(let row):
            return OperatorEvent.passage(row)
        case .outbox(let observation):
            return OperatorEvent.outbox(observation)
        }
    }

    private static func passage(_ row: PassageRow) -> JSONObject {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return [
            "turnstile": .string(row.turnstile), "outcome": .string(row.outcome),
            "direction": row.direction.map(JSONValue.string) ?? .null, "side": row.side.map(JSONValue.string) ?? .null,
            "grant_kind": row.grantKind.map(JSONValue.string) ?? .null, "sn": row.sn.map(JSONValue.string) ?? .null,
            "enrollid": row.enrollid.map { .number(JSONNumber($0)) } ?? .null,
            "closed_at": .string(formatter.string(from: row.closedAt)),
        ]
    }

    private static func outbox(_ observation: UpstreamObservation) -> JSONObject {
        switch observation {
        case .delivered(let transport, let entries):
            return ["state": "delivered", "transport": .string(transport), "entries": .integer(entries)]
        case .retrying(let transport, let reason):
            return ["state": "retrying", "transport": .string(transport), "reason": .string(reason)]
        case .parked(let transport, let reason):
            return ["state": "parked", "transport": .string(transport), "reason": .string(reason)]
        case .backlog(let entries, let alarm):
            return ["state": "backlog", "backlog": .number(JSONNumber(entries)), "alarm": .bool(alarm)]
        }
    }
}
