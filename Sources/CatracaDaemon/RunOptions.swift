import CatracaCore
import Foundation

/// Builds the daemon's configuration from `catraca run`'s flags: the config file first, then the
/// flags that override it.
public enum RunOptions {
    public static let valueFlags: Set<String> = [
        "--config", "--listen", "--api-listen", "--db", "--log-level", "--websocket-echo",
        "--plugins-directory",
    ]

    /// The config file used when `--config` is not given, if it exists.
    public static let defaultConfigPath = "/etc/catraca/catraca.json5"

    public static func configuration(from arguments: CommandLineArguments) throws -> Configuration {
        var configuration = Configuration()
        var source = "command line"
        if let path = arguments.value("--config") {
            configuration = try ConfigurationFile.load(path: path)
            source = path
        } else if FileManager.default.fileExists(atPath: defaultConfigPath) {
            configuration = try ConfigurationFile.load(path: defaultConfigPath)
            source = defaultConfigPath
        }
        if let listen = arguments.value("--listen") { configuration.terminals.listen = listen }
        if let listen = arguments.value("--api-listen") { configuration.api.listen = listen }
        if let path = arguments.value("--db") { configuration.store.path = path }
        if let name = arguments.value("--log-level") {
            guard let level = LogLevel(name: name) else {
                let known = LogLevel.allCases.map(\.description).joined(separator: ", ")
                throw CommandLineError.invalidValue(flag: "--log-level", value: name, expected: known)
            }
            configuration.log.level = level
        }
        if let folder = arguments.value("--plugins-directory") { configuration.plugins.directory = folder }
        configuration.webSocketEchoPath = arguments.value("--websocket-echo")
        try configuration.validate(source: source)
        return configuration
    }
}
