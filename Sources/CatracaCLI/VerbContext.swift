/// What verbs need from outside the command line, injected so that the grammar is tested without
/// files or a clock.
public struct VerbContext: Sendable {
    /// The site's local time now, `YYYY-MM-DD HH:MM:SS` (the `cloudtime` of `sync-time`).
    public var siteNow: @Sendable () -> String
    /// The bytes of a file (a face photo, a questionnaire).
    public var readFile: @Sendable (String) throws -> [UInt8]

    public init(siteNow: @escaping @Sendable () -> String, readFile: @escaping @Sendable (String) throws -> [UInt8]) {
        self.siteNow = siteNow
        self.readFile = readFile
    }
}
