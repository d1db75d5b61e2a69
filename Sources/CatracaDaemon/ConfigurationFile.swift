import CatracaCore
import Foundation

/// Reads the JSON5 config file (comments, unquoted keys, trailing commas) into a `Configuration`.
///
/// Foundation's `JSONDecoder` does the JSON5 syntax; the keys are then walked by hand so that an
/// unknown or misspelt key is an error that names it, instead of a setting silently ignored.
public enum ConfigurationFile {
    public static func load(path: String, onto base: Configuration = Configuration()) throws -> Configuration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(
                source: path, key: "", problem: "cannot read the file; check the path and its permissions")
        }
        return try parse(data, source: path, onto: base)
    }

    public static func parse(_ data: Data, source: String, onto base: Configuration = Configuration()) throws
        -> Configuration
    {
        let root: ConfigValue
        do {
            let decoder = JSONDecoder()
            decoder.allowsJSON5 = true
            root = try decoder.decode(ConfigValue.self, from: data)
        } catch {
            throw ConfigurationError(source: source, key: "", problem: "not valid JSON5: \(syntaxProblem(error))")
        }
        var configuration = base
        try ConfigurationReader(source: source).read(root, into: &configuration)
        return configuration
    }

    private static func syntaxProblem(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "\(error)"
    }
}

/// A config value as the JSON5 syntax gave it, before it is read into typed settings.
indirect enum ConfigValue: Decodable, Equatable {
    case object([String: ConfigValue])
    case array([ConfigValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: ConfigValue].self) {
            self = .object(value)
        } else {
            self = .array(try container.decode([ConfigValue].self))
        }
    }

    var typeName: String {
        switch self {
        case .object: return "an object"
        case .array: return "a list"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "true or false"
        case .null: return "null"
        }
    }
}
