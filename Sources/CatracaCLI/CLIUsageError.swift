/// A command line that cannot be turned into an API call: unknown verb or flag, a missing or
/// malformed argument. The CLI prints it with a pointer to `--help` and exits with 2.
public struct CLIUsageError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    /// The help to point at, e.g. `catraca terminal SN user --help`.
    public var helpHint: String

    public init(_ message: String, help helpHint: String = "catraca --help") {
        self.message = message
        self.helpHint = helpHint
    }

    public var description: String { "\(message); see \(helpHint)" }
}
