import CatracaJSON
import CatracaStore

/// The `catraca export passages` output, and the objects `GET /v1/passages` lists: each passage with its
/// outcome, the grant it joined (terminal, person, record) and the turn (direction, when).
public struct PassageExport {
    public let format: RecordExporter.Format

    public init(format: RecordExporter.Format) {
        self.format = format
    }

    static let columns = ["id", "turnstile", "outcome", "direction", "side", "turned_against_grant", "grant", "sn",
                          "enrollid", "record_id", "record_time", "turned_at", "closed_at"]

    public func render(_ passages: [StoredPassage]) -> String {
        switch format {
        case .csv:
            let header = PassageExport.columns.joined(separator: ",") + "\r\n"
            return header + passages.map { passage in
                PassageExport.fields(passage).map(RecordExporter.csvField).joined(separator: ",") + "\r\n"
            }.joined()
        case .jsonl:
            return passages.map { JSONWriter().text(.object(PassageExport.object($0))) + "\n" }.joined()
        }
    }

    static func fields(_ passage: StoredPassage) -> [String] {
        [
            String(passage.id), passage.turnstile, passage.outcome, passage.direction ?? "", passage.side ?? "",
            passage.turnedAgainstGrant ? "1" : "0", passage.grantKind ?? "", passage.sn ?? "",
            passage.enrollid.map(String.init) ?? "", passage.recordID.map(String.init) ?? "",
            passage.recordTime ?? "", passage.fellAt ?? "", passage.closedAt,
        ]
    }

    /// One passage as a JSON object with the CSV's columns as keys; absent values are null.
    public static func object(_ passage: StoredPassage) -> JSONObject {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func number(_ value: Int64?) -> JSONValue { value.map { .number(JSONNumber($0)) } ?? .null }
        return [
            "id": .number(JSONNumber(passage.id)), "turnstile": .string(passage.turnstile),
            "outcome": .string(passage.outcome), "direction": text(passage.direction), "side": text(passage.side),
            "turned_against_grant": .bool(passage.turnedAgainstGrant), "grant": text(passage.grantKind),
            "sn": text(passage.sn), "enrollid": number(passage.enrollid), "record_id": number(passage.recordID),
            "record_time": text(passage.recordTime), "turned_at": text(passage.fellAt),
            "closed_at": .string(passage.closedAt),
        ]
    }
}
