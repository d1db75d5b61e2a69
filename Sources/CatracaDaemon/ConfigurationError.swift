/// A config file or command line that cannot be used, naming the key and what is wrong with it.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    /// Where the problem is: the file, or `command line`.
    public var source: String
    /// The key path, e.g. `terminals.listen`; empty for the file as a whole.
    public var key: String
    public var problem: String

    public init(source: String, key: String, problem: String) {
        self.source = source
        self.key = key
        self.problem = problem
    }

    public var description: String {
        key.isEmpty ? "\(source): \(problem)" : "\(source): \(key): \(problem)"
    }
}
