import CatracaJSON
import CatracaStore

/// The `catraca terminals` output: one line per registered terminal.
public struct TerminalListing {
    public enum Format: String, CaseIterable {
        /// Aligned columns for a person.
        case table
        /// RFC 4180 CSV with a header line.
        case csv
        /// One JSON object per line, with the whole `devinfo`.
        case jsonl
    }

    public let format: Format

    public init(format: Format) {
        self.format = format
    }

    static let columns = ["sn", "address", "model", "firmware", "first_seen", "last_seen"]

    public func render(_ terminals: [StoredTerminal]) -> String {
        switch format {
        case .table: return table(terminals)
        case .csv: return csv(terminals)
        case .jsonl: return terminals.map(jsonLine).joined()
        }
    }

    /// The fields of one line. What a terminal sent (its model and firmware names, its serial number
    /// from before serial numbers were checked) is shown with control characters escaped and cut to a
    /// readable length, so it can neither add lines nor drive the operator's terminal.
    private func row(_ terminal: StoredTerminal) -> [String] {
        let devinfo = terminal.devinfoJSON.flatMap { try? JSONReader().parse(Array($0.utf8)) }
        let model = devinfo?["modelname"]?.string ?? ""
        let firmware = devinfo?["firmware"]?.string ?? ""
        return [terminal.sn, terminal.address, model, firmware].map(TerminalListing.shown)
            + [terminal.firstSeen, terminal.lastSeen]
    }

    static let longestField = 64

    static func shown(_ text: String) -> String {
        var shown = ""
        for scalar in text.unicodeScalars.prefix(longestField) {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                shown += "\\x" + String(scalar.value, radix: 16)
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return text.unicodeScalars.count > longestField ? shown + "…" : shown
    }

    private func table(_ terminals: [StoredTerminal]) -> String {
        let rows = [TerminalListing.columns.map { $0.uppercased() }] + terminals.map(row)
        var widths = Array(repeating: 0, count: TerminalListing.columns.count)
        for row in rows {
            for (index, field) in row.enumerated() { widths[index] = max(widths[index], field.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, field in
                index == row.count - 1 ? field : field.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    private func csv(_ terminals: [StoredTerminal]) -> String {
        let lines = [TerminalListing.columns] + terminals.map(row)
        return lines.map { $0.map(RecordExporter.csvField).joined(separator: ",") + "\r\n" }.joined()
    }

    private func jsonLine(_ terminal: StoredTerminal) -> String {
        let devinfo = terminal.devinfoJSON.flatMap { try? JSONReader().parse(Array($0.utf8)) } ?? .null
        let object: JSONValue = [
            "sn": .string(terminal.sn), "address": .string(terminal.address), "devinfo": devinfo,
            "first_seen": .string(terminal.firstSeen), "last_seen": .string(terminal.lastSeen),
        ]
        return JSONWriter().text(object) + "\n"
    }
}
