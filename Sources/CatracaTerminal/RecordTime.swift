/// Reads a terminal's record time into the canonical `YYYY-MM-DD HH:MM:SS`.
///
/// Firmwares write `2023-12-23 13:49:30`; some write a `T` separator or drop leading zeros
/// (`2023-1-5 8:04:09`). The time is the terminal's local wall-clock time and is kept as such: it is
/// part of the record's identity, so it must come out the same every time the record is resent.
enum RecordTime {
    /// The canonical form of `text`, or nil when it is not a date and time of that shape.
    static func canonical(_ text: String) -> String? {
        if let fast = canonicalAsSent(text) { return fast }
        let trimmed = text.trimmingASCIIBlanks()
        let halves = trimmed.split(omittingEmptySubsequences: false, whereSeparator: { $0 == " " || $0 == "T" })
        guard halves.count == 2 else { return nil }

        guard let date = fields(halves[0], separator: "-", widths: [4...4, 1...2, 1...2]),
              let clock = fields(halves[1], separator: ":", widths: [1...2, 1...2, 1...2]) else { return nil }
        let (year, month, day) = (date[0], date[1], date[2])
        let (hour, minute, second) = (clock[0], clock[1], clock[2])

        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        return "\(year)-\(two(month))-\(two(day)) \(two(hour)):\(two(minute)):\(two(second))"
    }

    /// `text` itself when it already is canonical, which is how nearly every firmware sends it; checked on
    /// the bytes, without splitting, because it runs for every record.
    private static func canonicalAsSent(_ text: String) -> String? {
        var utf8 = text
        return utf8.withUTF8 { bytes -> String? in
            guard bytes.count == 19 else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    let digit = Int(bytes[index]) - 48
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: " "),
                  bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
                  let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
                  let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
                  (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
                  (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
            return text
        }
    }

    /// Three numbers separated by `separator`, each of ASCII digits within its allowed width.
    private static func fields(_ text: Substring, separator: Character, widths: [ClosedRange<Int>]) -> [Int]? {
        let parts = text.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.count == widths.count else { return nil }
        var numbers: [Int] = []
        for (part, width) in zip(parts, widths) {
            guard width.contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let number = Int(part) else { return nil }
            numbers.append(number)
        }
        return numbers
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
