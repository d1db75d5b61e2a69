/// The `name=value` pairs of a request's query, percent-decoded (`+` as a space).
struct QueryParameters {
    private(set) var values: [String: String] = [:]

    /// Fails with the parameter that cannot be decoded, or one given twice.
    init(_ query: String?) throws {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = QueryParameters.percentDecoded(String(parts[0]), plusIsSpace: true),
                  let value = QueryParameters.percentDecoded(parts.count > 1 ? String(parts[1]) : "", plusIsSpace: true)
            else {
                throw APIError.invalidRequest("query parameter \"\(pair.prefix(60))\" is not percent-encoded UTF-8")
            }
            guard values[name] == nil else { throw APIError.invalidRequest("query parameter \(name) is given twice") }
            values[name] = value
        }
    }

    subscript(name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Refuses a parameter the endpoint does not know, so that a misspelt filter is not silently ignored.
    func requireOnly(_ known: [String]) throws {
        for name in values.keys.sorted() where !known.contains(name) {
            throw APIError.invalidRequest("unknown query parameter \"\(name)\"; known here: "
                                          + known.joined(separator: ", "))
        }
    }

    /// An integer parameter within `range`, or nil when absent.
    func integer(_ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let text = self[name] else { return nil }
        guard let value = Int64(text), range.contains(value) else {
            throw APIError.invalidRequest("\(name)=\(text.prefix(40)): expected a whole number from "
                                          + "\(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// `%41` → `A`; nil when an escape is malformed or the bytes are not UTF-8.
    static func percentDecoded(_ text: String, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
