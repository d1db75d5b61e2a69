/// The Prometheus text exposition format 0.0.4: `# HELP`, `# TYPE` and sample lines, with its escaping.
enum MetricText {
    static func header(name: String, help: String, type: String, into text: inout String) {
        text += "# HELP \(name) \(escapedHelp(help))\n"
        text += "# TYPE \(name) \(type)\n"
    }

    static func sample(_ name: String, _ labelNames: [String], _ labelValues: [String], _ value: Double,
                       into text: inout String) {
        text += name
        if !labelNames.isEmpty {
            let pairs = zip(labelNames, labelValues).map { "\($0)=\"\(escapedLabelValue($1))\"" }
            text += "{" + pairs.joined(separator: ",") + "}"
        }
        text += " " + number(value) + "\n"
    }

    /// A sample value: whole numbers without a fraction, `+Inf`, `-Inf` and `NaN` as the format spells them.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// In HELP text a backslash and a line feed are escaped.
    static func escapedHelp(_ help: String) -> String {
        help.replacingAll([("\\", "\\\\"), ("\n", "\\n")])
    }

    /// In label values a backslash, a double quote and a line feed are escaped.
    static func escapedLabelValue(_ value: String) -> String {
        value.replacingAll([("\\", "\\\\"), ("\"", "\\\""), ("\n", "\\n")])
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !name.isEmpty else { return false }
        func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" || scalar == ":"
        }
        return isLetter(first) && name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }
}

private extension String {
    /// Replaces each character in one pass, so that an inserted backslash is not escaped again.
    /// Works on scalars: a `\r\n` pair is one `Character`, and its line feed must still be escaped.
    func replacingAll(_ replacements: [(Unicode.Scalar, String)]) -> String {
        var result = ""
        for scalar in unicodeScalars {
            if let replacement = replacements.first(where: { $0.0 == scalar }) {
                result += replacement.1
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
