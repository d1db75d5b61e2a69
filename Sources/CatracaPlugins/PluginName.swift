/// What a plugin may call itself (`catraca_plugin.name`).
///
/// The name becomes a file name (its key-value store, `<state>/plugins/<name>.sqlite`), a log value and a
/// metric label, so it is kept to 1 to 64 of `A-Z a-z 0-9 . _ -`, not starting with `.`: no path separator,
/// no `..`, no hidden file, nothing a shell or a log reader would take apart.
public enum PluginName {
    public static let maxLength = 64

    /// Whether `name` may be a plugin's name.
    public static func isValid(_ name: String) -> Bool {
        let scalars = name.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= maxLength, scalars.first != "." else { return false }
        return scalars.allSatisfy(isAllowed)
    }

    /// Why `name` is refused, as the daemon logs it; nil when it is a valid name.
    public static func refusal(_ name: String) -> String? {
        guard !isValid(name) else { return nil }
        return "plugin name \(shown(name)) is not 1 to \(maxLength) of A-Z a-z 0-9 . _ - (not starting with .); "
            + "set catraca_plugin.name to such a name and rebuild the plugin"
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "-": return true
        default: return false
        }
    }

    /// The name as a log can show it: its first characters, with what is not allowed in a name as `?`.
    private static func shown(_ name: String) -> String {
        let shown = String(String.UnicodeScalarView(name.unicodeScalars.prefix(maxLength).map {
            isAllowed($0) || $0 == "/" ? $0 : "?"
        }))
        return "\"" + shown + (name.unicodeScalars.count > maxLength ? "…" : "") + "\""
    }
}
