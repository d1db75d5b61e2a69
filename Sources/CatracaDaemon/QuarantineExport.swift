import CatracaJSON
import CatracaStore

/// The `catraca export quarantine` output: what terminals sent that could not be read as records,
/// with the reason, so an operator can see it and, if need be, recover it by hand.
public struct QuarantineExport {
    public let format: RecordExporter.Format

    public init(format: RecordExporter.Format) {
        self.format = format
    }

    static let columns = ["id", "sn", "received_at", "reason", "raw"]

    public func render(_ entries: [StoredQuarantinedRecord]) -> String {
        switch format {
        case .csv:
            let header = QuarantineExport.columns.joined(separator: ",") + "\r\n"
            return header + entries.map { entry in
                [String(entry.id), entry.sn ?? "", entry.receivedAt, entry.reason, entry.raw]
                    .map(RecordExporter.csvField).joined(separator: ",") + "\r\n"
            }.joined()
        case .jsonl:
            return entries.map { entry in
                let object: JSONValue = [
                    "id": .integer(Int(entry.id)), "sn": entry.sn.map(JSONValue.string) ?? .null,
                    "received_at": .string(entry.receivedAt), "reason": .string(entry.reason),
                    "raw": .string(entry.raw),
                ]
                return JSONWriter().text(object) + "\n"
            }.joined()
        }
    }

}
