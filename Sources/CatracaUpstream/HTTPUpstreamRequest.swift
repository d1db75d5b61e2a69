import CatracaJSON
import CatracaStore

/// The bytes of one batch's POST: head and JSON body.
///
/// The body is `{"site", "key", "entries": [{"id", "kind", "sn", "created_at", "payload"}]}`; each payload
/// is the stored JSON text, put in as it is rather than parsed and written again.
public enum HTTPUpstreamRequest {
    public static func body(site: String, batch: OutboxBatch) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(batch.entries.reduce(64) { $0 + $1.payload.utf8.count + 96 })
        let writer = JSONWriter()
        output.append(contentsOf: "{\"site\":".utf8)
        writer.write(.string(site), to: &output)
        output.append(contentsOf: ",\"key\":".utf8)
        writer.write(.string(batch.key), to: &output)
        output.append(contentsOf: ",\"entries\":[".utf8)
        for (index, entry) in batch.entries.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: "{\"id\":\(entry.id),\"kind\":".utf8)
            writer.write(.string(entry.kind), to: &output)
            output.append(contentsOf: ",\"sn\":".utf8)
            writer.write(entry.sn.map { .string($0) } ?? .null, to: &output)
            output.append(contentsOf: ",\"created_at\":".utf8)
            writer.write(.string(entry.createdAt), to: &output)
            output.append(contentsOf: ",\"payload\":".utf8)
            output.append(contentsOf: entry.payload.utf8)
            output.append(UInt8(ascii: "}"))
        }
        output.append(contentsOf: "]}".utf8)
        return output
    }

    public static func bytes(url: HTTPUpstreamURL, token: String?, key: String, body: [UInt8]) -> [UInt8] {
        var head = "POST \(url.path) HTTP/1.1\r\n"
        head += "Host: \(url.authority)\r\n"
        head += "User-Agent: catraca/\(CatracaUpstreamVersion.agent)\r\n"
        head += "Content-Type: application/json\r\n"
        head += "Content-Length: \(body.count)\r\n"
        head += "Idempotency-Key: \(key)\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        head += "Connection: close\r\n\r\n"
        return Array(head.utf8) + body
    }
}

/// The version sent in `User-Agent`, kept in step with the daemon's.
enum CatracaUpstreamVersion {
    static let agent = "0.1.0"
}
