/// Rows of text in aligned columns, each as wide as its widest cell, two spaces apart; the last column is
/// not padded. Widths count characters, so accented names line up.
public struct TextTable: Equatable, Sendable {
    public var header: [String]?
    public var rows: [[String]]

    public init(header: [String]? = nil, rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// The table as lines ending in a newline, each starting with `indent`.
    public func render(indent: String = "") -> String {
        let all = (header.map { [$0] } ?? []) + rows
        let columns = all.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in
            all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        return all.map { row in indent + line(row, widths: widths) + "\n" }.joined()
    }

    private func line(_ row: [String], widths: [Int]) -> String {
        var cells: [String] = []
        for (column, cell) in row.enumerated() {
            let isLast = column == row.count - 1
            cells.append(isLast ? cell : cell + String(repeating: " ", count: widths[column] - cell.count))
        }
        return cells.joined(separator: "  ")
    }
}
