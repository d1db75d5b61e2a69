import CatracaJSON

/// What can still be read from a `sendlog` whose JSON is broken (a firmware that writes `nan` for a
/// temperature, a message cut short): enough to store it in quarantine and acknowledge it.
///
/// Without this, the terminal would send the same unreadable message forever and the records behind
/// it would never get through. The scan looks only for `"cmd":"sendlog"` and the first scalar values
/// of `sn`, `count` and `logindex`; it never interprets the records.
struct MalformedSendlog: Equatable {
    var sn: String?
    var count: JSONValue?
    var logindex: JSONValue?

    /// The salvageable parts of `bytes`, or nil when they do not look like a `sendlog` at all.
    init?(_ bytes: [UInt8]) {
        guard case .string("sendlog")? = MalformedSendlog.scalar(after: "cmd", in: bytes) else { return nil }
        if case .string(let text)? = MalformedSendlog.scalar(after: "sn", in: bytes), !text.isEmpty { sn = text }
        count = MalformedSendlog.scalar(after: "count", in: bytes)
        logindex = MalformedSendlog.scalar(after: "logindex", in: bytes)
    }

    /// The value after the first `"key"` followed by `:` — a quoted string without escapes, or a number.
    private static func scalar(after key: String, in bytes: [UInt8]) -> JSONValue? {
        let needle = Array("\"\(key)\"".utf8)
        var start = 0
        while let found = firstIndex(of: needle, in: bytes, from: start) {
            start = found + needle.count
            var index = skipBlanks(bytes, from: start)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { continue }
            index = skipBlanks(bytes, from: index + 1)
            return value(in: bytes, at: index)
        }
        return nil
    }

    private static func value(in bytes: [UInt8], at index: Int) -> JSONValue? {
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "\"") {
            var end = index + 1
            let stops: [UInt8] = [UInt8(ascii: "\""), UInt8(ascii: "\\")]
            while end < bytes.count, !stops.contains(bytes[end]), end - index < 200 { end += 1 }
            guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
            return .string(String(decoding: bytes[(index + 1)..<end], as: UTF8.self))
        }
        var end = index
        while end < bytes.count, bytes[end] == UInt8(ascii: "-") || (48...57).contains(bytes[end]), end - index < 20 {
            end += 1
        }
        guard let number = JSONNumber(text: String(decoding: bytes[index..<end], as: UTF8.self)) else { return nil }
        return .number(number)
    }

    private static func skipBlanks(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index
    }

    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard needle.count <= bytes.count, start <= bytes.count - needle.count else { return nil }
        for index in start...(bytes.count - needle.count) where bytes[index] == needle[0] {
            if bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
        }
        return nil
    }
}
