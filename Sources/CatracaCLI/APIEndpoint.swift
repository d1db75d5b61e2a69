import CatracaDaemon
import Foundation

/// Where the API is and the token to call it with, found as contract section 3 says: `--api`/`--token`,
/// else `CATRACA_API`/`CATRACA_TOKEN`, else the daemon's config file (`api.listen`, `api.token`, else the
/// file `api.tokenFile`, by default `api-token` beside the database).
public struct APIEndpoint: Equatable, Sendable {
    public var baseURL: APIBaseURL
    public var token: String
    /// The site's time zone from the config file (`site.timeZone`), for `sync-time`; nil uses the box's.
    public var siteTimeZone: String?

    public init(baseURL: APIBaseURL, token: String, siteTimeZone: String? = nil) {
        self.baseURL = baseURL
        self.token = token
        self.siteTimeZone = siteTimeZone
    }

    /// The config file read when `--config` is not given and the file exists.
    public static let defaultConfigPath = "/etc/catraca/catraca.json5"

    /// Resolves the endpoint from the flags, the environment and the config file, in that order.
    /// - Parameters:
    ///   - configPath: `--config`; nil reads `defaultConfigPath` when it exists.
    ///   - readFile: reads a file's contents, nil when it cannot be read.
    public static func resolve(api: String?, token: String?, configPath: String?, environment: [String: String],
                               readFile: (String) -> [UInt8]?) throws -> APIEndpoint {
        let settings = try configSettings(configPath: configPath, readFile: readFile)
        let address = api ?? environment["CATRACA_API"]
        let baseURL = try address.map { try APIBaseURL(parsing: $0) }
            ?? APIBaseURL(listenAddress: settings.listen)
        if let token = token ?? environment["CATRACA_TOKEN"] {
            return APIEndpoint(baseURL: baseURL, token: token, siteTimeZone: settings.siteTimeZone)
        }
        if let token = settings.token {
            return APIEndpoint(baseURL: baseURL, token: token, siteTimeZone: settings.siteTimeZone)
        }
        guard let bytes = readFile(settings.tokenFile) else {
            throw APIEndpointError(
                "no API token: give --token or CATRACA_TOKEN, or make \(settings.tokenFile) readable "
                    + "(the daemon writes it at start; reading it usually needs the daemon's user or root)")
        }
        let fileToken = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !fileToken.isEmpty else { throw APIEndpointError("the token file \(settings.tokenFile) is empty") }
        return APIEndpoint(baseURL: baseURL, token: fileToken, siteTimeZone: settings.siteTimeZone)
    }

    /// The config file's `site.timeZone`, nil when it names none or the file cannot be read.
    public static func siteTimeZone(configPath: String?, readFile: (String) -> [UInt8]?) -> String? {
        (try? configSettings(configPath: configPath, readFile: readFile))?.siteTimeZone
    }

    private static func configSettings(configPath: String?,
                                       readFile: (String) -> [UInt8]?) throws -> APIConfigSettings {
        let path = configPath ?? defaultConfigPath
        guard let bytes = readFile(path) else {
            if configPath != nil { throw APIEndpointError("cannot read the config file \(path)") }
            return APIConfigSettings()
        }
        return try APIConfigSettings(json5: bytes, source: path)
    }
}

/// The endpoint cannot be found: no token, an unreadable config file.
public struct APIEndpointError: Error, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
