/// The topic each outbox entry is published to: `<prefix>/<site>/<kind>s`, e.g. `catraca/main/records`.
///
/// One topic per site and kind lets the central system subscribe to exactly what it handles
/// (`catraca/+/records` for every site's records) and spread sites over an MQTT cluster.
public enum MQTTTopic {
    /// The topic for entries of `kind` at `site`, or `nil` when `kind` is not a valid topic level.
    public static func name(prefix: String, site: String, kind: String) -> String? {
        if problem(inLevel: kind) != nil { return nil }
        return "\(prefix)/\(site)/\(kind)s"
    }

    /// Why `level` cannot be one topic level, or `nil` if it can. A level holding `/` or a wildcard would
    /// publish into another site's or kind's topics, or be refused by the broker.
    public static func problem(inLevel level: String) -> String? {
        if level.isEmpty { return "is empty" }
        if let bad = level.first(where: { "/+#\u{0}".contains($0) }) {
            return "\"\(level)\" holds \"\(bad)\", which an MQTT topic level cannot hold"
        }
        return nil
    }

    static func checkLevel(_ level: String, setting: String) throws {
        if let problem = problem(inLevel: level) { throw MQTTSettingsError(setting: setting, problem: problem) }
    }

    /// The prefix may span several levels (`acme/catraca`) but holds no wildcard or empty level.
    static func checkPrefix(_ prefix: String) throws {
        for level in prefix.split(separator: "/", omittingEmptySubsequences: false) {
            try checkLevel(String(level), setting: "topicPrefix")
        }
    }
}
