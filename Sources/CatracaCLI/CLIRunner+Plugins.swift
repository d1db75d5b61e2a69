import CatracaJSON

extension CLIRunner {
    static let pluginsHelp = """
        usage: catraca plugins [list]
            Lists the site's rule plugins in the order their decisions compose: name, version, state
            (starting, running, restarting, refused, stopped), restarts, calls, slow calls and last error
            (GET /v1/plugins).
        usage: catraca plugins reload
            Rescans the plugins' directory: new libraries start, removed ones stop, replaced ones and those
            refused before load again; terminals stay connected (POST /v1/plugins/reload). Settings changed in
            the config file are read on SIGHUP (systemctl reload catraca).

        """ + GlobalFlags.help + "\n"

    /// `catraca plugins [list]|reload`.
    func runPlugins(_ arguments: [String]) throws -> Int32 {
        let options = try ParsedCommandLine(arguments, flags: GlobalFlags.all, help: "catraca plugins --help")
        if options.isSet("--help") {
            standardOutput(CLIRunner.pluginsHelp)
            return ExitCode.success
        }
        guard options.words.count <= 1 else {
            throw CLIUsageError("plugins takes one verb: list or reload", help: "catraca plugins --help")
        }
        let (client, _) = try client(options)
        let json = options.isSet("--json")
        let response: APIResponse
        switch options.words.first ?? "list" {
        case "list":
            response = try client.get("/v1/plugins")
        case "reload":
            response = try client.post("/v1/plugins/reload", body: [:])
        default:
            throw CLIUsageError("unknown plugins verb \"\(options.words[0])\"", help: "catraca plugins --help")
        }
        guard response.isSuccess else { return report(response, json: json) }
        standardOutput(json ? response.text + "\n" : CLIRunner.pluginsTable(response.json?.object ?? [:]))
        return ExitCode.success
    }

    static func pluginsTable(_ body: JSONObject) -> String {
        let directory = ReplyRenderer.cell(body["directory"] ?? .null)
        let plugins = (body["plugins"]?.array ?? []).compactMap(\.object)
        guard !plugins.isEmpty else { return "no plugins in \(directory)\n" }
        let columns = ["name", "version", "state", "restarts", "calls", "slow_calls", "last_error"]
        return "directory \(directory)\n" + TextTable(header: columns, rows: plugins.map { plugin in
            columns.map { ReplyRenderer.cell(plugin[$0] ?? .null) }
        }).render()
    }
}
