import Foundation

/// Writes stored records as CSV or JSON Lines, for the operator CLI's `export`.
///
/// Both formats carry the same fields, in this order: `sn, enrollid, time, mode, inout, event, verifymode,
/// temperature, name, received_at, has_photo`. Absent values are empty in CSV and `null` in JSONL. JSONL also
/// carries the keys the daemon did not know under `extra`; CSV leaves them out, as its columns are fixed.
///
/// Known shortcoming: CSV fields are not defused against spreadsheet formulas. A name beginning with `=` is
/// written as it is, and a spreadsheet opening the file may evaluate it.
public struct RecordExporter {
    /// The output format.
    public enum Format: String, Sendable, CaseIterable {
        /// RFC 4180: a header line, CRLF line ends, fields with `,` `"` CR or LF in double quotes.
        case csv
        /// One JSON object per line, LF line ends.
        case jsonl
    }

    static let columns = ["sn", "enrollid", "time", "mode", "inout", "event", "verifymode", "temperature", "name",
                          "received_at", "has_photo"]

    private let reader: StoreReader

    public init(reader: StoreReader) {
        self.reader = reader
    }

    /// Writes the selected records (see `StoreReader.records`) to `sink`, a piece of text at a time.
    /// Returns how many records were written.
    @discardableResult
    public func write(format: Format, since: String? = nil, sn: String? = nil, receivedSince: String? = nil,
                      limit: Int? = nil, to sink: (String) throws -> Void) throws -> Int {
        let cursor = try reader.records(since: since, sn: sn, receivedSince: receivedSince, limit: limit)
        if format == .csv {
            try sink(RecordExporter.columns.joined(separator: ",") + "\r\n")
        }

        var count = 0
        while let record = try cursor.next() {
            try sink(format == .csv ? RecordExporter.csvLine(record) : RecordExporter.jsonLine(record))
            count += 1
        }
        return count
    }

    /// Writes the selected records to `handle` (a file or standard output), in writes of about 64 KiB.
    @discardableResult
    public func write(format: Format, since: String? = nil, sn: String? = nil, receivedSince: String? = nil,
                      limit: Int? = nil, to handle: FileHandle) throws -> Int {
        var buffer = Data()
        buffer.reserveCapacity(1 << 16)
        let count = try write(format: format, since: since, sn: sn, receivedSince: receivedSince, limit: limit) {
            text in
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= 1 << 16 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
        return count
    }

    // MARK: CSV

    static func csvLine(_ record: StoredRecord) -> String {
        let identity = record.identity
        let fields = [
            identity.sn, String(identity.enrollid), identity.time, String(identity.mode), String(identity.inOut),
            String(identity.event), record.verifyMode.map(String.init) ?? "",
            record.temperature.map(number) ?? "", record.name ?? "", record.receivedAt, record.hasPhoto ? "1" : "0",
        ]
        return fields.map(csvField).joined(separator: ",") + "\r\n"
    }

    /// `value` as one RFC 4180 field: in double quotes (doubled inside) when it holds `,` `"` CR or LF.
    /// Every CSV the operators' commands print goes through here.
    public static func csvField(_ value: String) -> String {
        let needsQuotes = value.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"")
            || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: JSON Lines

    static func jsonLine(_ record: StoredRecord) -> String {
        let identity = record.identity
        var line = "{\"sn\":" + jsonString(identity.sn)
        line += ",\"enrollid\":\(identity.enrollid),\"time\":" + jsonString(identity.time)
        line += ",\"mode\":\(identity.mode),\"inout\":\(identity.inOut),\"event\":\(identity.event)"
        line += ",\"verifymode\":" + (record.verifyMode.map(String.init) ?? "null")
        line += ",\"temperature\":" + (record.temperature.map(number) ?? "null")
        line += ",\"name\":" + (record.name.map(jsonString) ?? "null")
        line += ",\"received_at\":" + jsonString(record.receivedAt)
        line += ",\"has_photo\":" + (record.hasPhoto ? "true" : "false")
        if let extra = record.extraJSON {
            line += ",\"extra\":" + extraValue(extra)
        }
        return line + "}\n"
    }

    /// A temperature as a JSON and CSV number; SQLite can hand back infinities, which JSON cannot hold.
    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    static func jsonString(_ value: String) -> String {
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    /// The stored extra keys as a JSON object on one line; text that is not a JSON object is kept as a string.
    static func extraValue(_ text: String) -> String {
        let isObject = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) is [String: Any]
        return isObject ? minified(text) : jsonString(text)
    }

    /// Valid JSON text without the whitespace between tokens, so that it fits on one line unchanged otherwise.
    static func minified(_ json: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(json.utf8.count)
        var inString = false
        var escaping = false
        for byte in json.utf8 {
            if inString {
                output.append(byte)
                if escaping {
                    escaping = false
                } else if byte == UInt8(ascii: "\\") {
                    escaping = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                continue
            case UInt8(ascii: "\""):
                inString = true
                output.append(byte)
            default:
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
