import CatracaHTTP
import CatracaJSON

/// `GET /v1/plugins` and `POST /v1/plugins/reload`.
extension OperatorAPI {
    /// The plugins, in composition order, with the directory they come from.
    var pluginsBody: JSONObject {
        ["directory": plugins.map { .string($0.directory) } ?? .null, "plugins": .array(plugins?.listing ?? [])]
    }

    func listPlugins(respond: @escaping (HTTPResponse) -> Void) {
        respond(APIResponse.json(pluginsBody))
    }

    /// Rescans the plugins' directory: new libraries start, removed ones stop, replaced ones and those
    /// refused before are loaded again. Settings are read from the config file on SIGHUP only. The listing
    /// answered is the state right after the rescan; hosts starting report `starting`.
    func reloadPlugins(respond: @escaping (HTTPResponse) -> Void) {
        plugins?.rescan()
        respond(APIResponse.json(pluginsBody))
    }
}
