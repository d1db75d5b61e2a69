/// The words and `--flag value` pairs of a command line, with errors that say which flag is wrong.
public struct CommandLineArguments {
    public private(set) var words: [String] = []
    private var values: [String: String] = [:]
    private var switches: Set<String> = []

    /// - Parameters:
    ///   - arguments: the arguments after the program name.
    ///   - valueFlags: flags that take a value (`--db FILE` or `--db=FILE`).
    ///   - switchFlags: flags that stand alone (`--help`).
    public init(_ arguments: [String], valueFlags: Set<String>, switchFlags: Set<String> = ["--help"]) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else {
                words.append(argument)
                continue
            }
            if let equals = argument.firstIndex(of: "=") {
                let flag = String(argument[..<equals])
                guard valueFlags.contains(flag) else { throw CommandLineError.unknownFlag(flag) }
                values[flag] = String(argument[argument.index(after: equals)...])
            } else if switchFlags.contains(argument) {
                switches.insert(argument)
            } else if valueFlags.contains(argument) {
                guard index < arguments.count else { throw CommandLineError.missingValue(argument) }
                values[argument] = arguments[index]
                index += 1
            } else {
                throw CommandLineError.unknownFlag(argument)
            }
        }
    }

    public func value(_ flag: String) -> String? { values[flag] }

    public func isSet(_ flag: String) -> Bool { switches.contains(flag) }
}

/// A command line that cannot be run.
public enum CommandLineError: Error, CustomStringConvertible, Equatable {
    case unknownFlag(String)
    case missingValue(String)
    case invalidValue(flag: String, value: String, expected: String)
    case unknownCommand(String)
    case unexpectedWords(command: String, words: [String])

    public var description: String {
        switch self {
        case .unknownFlag(let flag):
            return "unknown flag \(flag); see catraca --help"
        case .missingValue(let flag):
            return "\(flag) needs a value"
        case .invalidValue(let flag, let value, let expected):
            return "\(flag) \"\(value)\": expected \(expected)"
        case .unknownCommand(let command):
            return "unknown command \"\(command)\"; see catraca --help"
        case .unexpectedWords(let command, let words):
            if command == "export" && words.isEmpty {
                return "export what? use: catraca export records|quarantine [--format csv|jsonl]"
            }
            return "catraca \(command) does not take \"\(words.joined(separator: " "))\"; see catraca --help"
        }
    }
}
