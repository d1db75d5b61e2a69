import CatracaDaemon
import Foundation

/// The few keys of the daemon's config file the CLI needs: `api.listen`, `api.token`, `api.tokenFile`,
/// `store.path` (where the token file is by default) and `site.timeZone`.
///
/// Read here rather than through `ConfigurationFile`, so that the CLI works with a config file from a newer
/// or older daemon (a key this build does not know is not an error here); defaults are the daemon's own.
struct APIConfigSettings: Equatable {
    var listen = Configuration().api.listen
    var token: String?
    var tokenFile: String
    var siteTimeZone: String?

    init() {
        tokenFile = APIConfigSettings.tokenFile(besideDatabase: Configuration.Store.defaultPath)
    }

    init(json5 bytes: [UInt8], source: String) throws {
        let file: File
        do {
            let decoder = JSONDecoder()
            decoder.allowsJSON5 = true
            file = try decoder.decode(File.self, from: Data(bytes))
        } catch {
            throw APIEndpointError("the config file \(source) cannot be read for api.listen/api.token: \(error)")
        }
        self.init()
        if let listen = file.api?.listen { self.listen = listen }
        token = file.api?.token
        let databasePath = file.store?.path ?? Configuration.Store.defaultPath
        tokenFile = file.api?.tokenFile ?? APIConfigSettings.tokenFile(besideDatabase: databasePath)
        siteTimeZone = file.site?.timeZone
    }

    static func tokenFile(besideDatabase path: String) -> String {
        (path as NSString).deletingLastPathComponent + "/api-token"
    }

    private struct File: Decodable {
        var api: API?
        var store: Store?
        var site: Site?
    }

    private struct API: Decodable {
        var listen: String?
        var token: String?
        var tokenFile: String?
    }

    private struct Store: Decodable { var path: String? }

    private struct Site: Decodable { var timeZone: String? }
}
