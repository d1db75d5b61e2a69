/// A `--flag` of the operator commands, and whether it takes a value.
///
/// A flag means the same everywhere it is accepted (a value flag never becomes a switch elsewhere), so
/// the command line can be split into words and flags before the verb is known; each verb then says which
/// flags it takes.
public struct CLIFlag: Equatable, Sendable {
    public var name: String
    /// `FILE`, `N`, ... for a flag that takes a value; nil for a switch.
    public var valueName: String?

    public init(_ name: String, _ valueName: String? = nil) {
        self.name = name
        self.valueName = valueName
    }

    public var takesValue: Bool { valueName != nil }
}

/// Flags every operator command takes.
public enum GlobalFlags {
    public static let all: [CLIFlag] = [
        CLIFlag("--api", "URL"), CLIFlag("--token", "TOKEN"), CLIFlag("--config", "FILE"),
        CLIFlag("--json"), CLIFlag("--timeout", "SECONDS"), CLIFlag("--read-timeout", "SECONDS"),
        CLIFlag("--help"),
    ]

    /// `arguments` with the global flags (and their values) moved after everything else, so that they may be
    /// written anywhere: `catraca --json status`, `catraca terminal --api URL SN time`. `--help` stays where
    /// it is: its position says which level's help is meant.
    public static func movedToEnd(_ arguments: [String]) -> [String] {
        var words: [String] = []
        var flags: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            guard let flag = all.first(where: { $0.name == name }), flag.name != "--help" else {
                words.append(argument)
                index += 1
                continue
            }
            flags.append(argument)
            if flag.takesValue, !argument.contains("="), index + 1 < arguments.count {
                flags.append(arguments[index + 1])
                index += 1
            }
            index += 1
        }
        return words + flags
    }

    public static let help = """
        global flags (any position):
          --api URL             the API, e.g. http://127.0.0.1:7793 (else $CATRACA_API, else the config file)
          --token TOKEN         its bearer token (else $CATRACA_TOKEN, else api.token or api.tokenFile)
          --config FILE         the daemon's config file (default /etc/catraca/catraca.json5 when present)
          --json                print the API's JSON as it came instead of tables
          --timeout SECONDS     how long the daemon waits for the terminal's reply (per page of a listing)
          --read-timeout SECONDS how long this command waits for the API's answer (default 600)
          --help                this help
        """
}
