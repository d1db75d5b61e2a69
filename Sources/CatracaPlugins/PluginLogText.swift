/// A plugin's log line made safe before it is framed (in the host) and before it is written (in the daemon).
///
/// The host cuts what the plugin gave so that a log frame always fits `PluginFrame.maxBytes` (a 4 MiB
/// message would otherwise get the host killed): the message and each value to `maxTextBytes`, each key to
/// `maxKeyBytes`, at most `maxPairs` pairs, and it says so in a `truncated` pair. The daemon then keeps keys to
/// `A-Z a-z 0-9 _ . -` (others become `_`), so that a key cannot forge `key=value` pairs or lines, and logs the
/// message as the value `text` (`metadata`): values go through the logger's quoting, which escapes spaces,
/// quotes, `=` and control characters, so a plugin that logs what a terminal sent cannot forge a line.
public enum PluginLogText {
    public static let maxTextBytes = 4 * 1024
    public static let maxKeyBytes = 64
    public static let maxPairs = 32

    /// The message and pairs cut to the limits, with a `truncated` pair naming what was cut.
    public static func truncated(message: String, context: [(String, String)]) -> (String, [(String, String)]) {
        var cut: [String] = []
        let shortMessage = prefix(message, bytes: maxTextBytes)
        if shortMessage.utf8.count < message.utf8.count { cut.append("message of \(message.utf8.count) bytes") }

        var pairs: [(String, String)] = []
        for (key, value) in context.prefix(maxPairs) {
            let shortKey = prefix(key, bytes: maxKeyBytes)
            let shortValue = prefix(value, bytes: maxTextBytes)
            if shortKey.utf8.count < key.utf8.count { cut.append("a key of \(key.utf8.count) bytes") }
            if shortValue.utf8.count < value.utf8.count { cut.append("\(shortKey) of \(value.utf8.count) bytes") }
            pairs.append((shortKey, shortValue))
        }
        if context.count > maxPairs { cut.append("pairs past the first \(maxPairs)") }
        if !cut.isEmpty {
            pairs.append(("truncated", prefix(cut.joined(separator: ", "), bytes: maxTextBytes)))
        }
        return (shortMessage, pairs)
    }

    /// `key` with every character outside `A-Z a-z 0-9 _ . -` replaced by `_`; `_` when empty.
    public static func safeKey(_ key: String) -> String {
        guard !key.isEmpty else { return "_" }
        return String(String.UnicodeScalarView(key.unicodeScalars.map { scalar in
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "_", ".", "-": return scalar
            default: return "_"
            }
        }))
    }

    /// The metadata a plugin's line is logged with: `plugin`, the message as `text`, then the plugin's pairs
    /// under safe keys (one that would take `plugin`'s or `text`'s place, or a pair's before it, gets a `_`).
    public static func metadata(plugin: String, message: String, context: [(String, String)]) -> [String: String] {
        var metadata = ["plugin": plugin, "text": message]
        for (key, value) in context {
            var safe = safeKey(key)
            while metadata[safe] != nil { safe += "_" }
            metadata[safe] = value
        }
        return metadata
    }

    /// The longest prefix of `text` of at most `bytes` UTF-8 bytes that ends on a character boundary.
    static func prefix(_ text: String, bytes: Int) -> String {
        guard text.utf8.count > bytes else { return text }
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            let width = String(scalar).utf8.count
            guard count + width <= bytes else { break }
            result.unicodeScalars.append(scalar)
            count += width
        }
        return result
    }
}
