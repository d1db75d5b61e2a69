import CatracaJSON

/// Finds the `devinfo` a terminal reports in `reg`, wherever its firmware puts it.
enum TerminalDevinfo {
    /// The devinfo fields of vendor document 1.1; some firmwares send them at the top level of `reg`.
    /// The largest devinfo kept, as JSON text.
    static let maxStoredBytes = 16 * 1024

    static let knownKeys: Set<String> = [
        "modelname", "usersize", "facesize", "fpsize", "palmsize", "cardsize", "pwdsize", "logsize",
        "useduser", "usedface", "usedfp", "usedpalm", "usedcard", "usedpwd", "usedlog", "usednewlog",
        "usedrtlog", "netinuse", "usb4g", "fpalgo", "firmware", "time", "intercom", "floors", "charid",
        "useosdp", "dislanguage", "curip", "mac",
    ]

    /// The devinfo object of a `reg` message: its `devinfo` member (an object, or a string holding
    /// one), else the known devinfo keys found at the top level, else nil.
    static func find(in message: JSONObject, reader: JSONReader) -> JSONObject? {
        if let nested = message["devinfo"] {
            if let object = nested.object { return object }
            if let text = nested.string, let object = try? reader.parse(text).object { return object }
        }

        var collected = JSONObject()
        for member in message where knownKeys.contains(member.key.lowercased()) {
            collected.append(key: member.key, value: member.value)
        }
        return collected.isEmpty ? nil : collected
    }
}
