import CatracaJSON

/// `catraca gpio pulse ...`, `catraca turnstiles`, `catraca passages ...`.
extension CLIRunner {
    static let turnstilesHelp = """
        usage: catraca gpio pulse fire-in|exit-button [--ms 80] [--turnstile NAME]
            Turns a turnstile by hand (POST /v1/turnstiles/NAME/pulse): one active-low pulse of --ms
            milliseconds (1 to 10000, default 80) on FIRE IN (direction A) or EXIT BUTTON (direction B), as
            the board would send after a turn. Only on a simulated input (gpio.chip "simulated", or "auto" on
            a box without a GPIO chip); a turnstile on real GPIO exits with 4. --turnstile may be left out
            when the site has one turnstile.
        usage: catraca turnstiles
            Lists the turnstiles (GET /v1/turnstiles): the direction that means in, the terminals on the
            entry and exit sides, and where the turns come from (GPIO or simulated).
        usage: catraca passages [--turnstile NAME] [--after ID] [--limit N] [--all]
            Lists passages in the order they closed (GET /v1/passages): turned_a, turned_b, not_turned (a
            grant whose window ran out) or unauthorised_rotation (a turn no grant explains). --after is the
            cursor (the last id seen); --limit is per page (default 100, at most 1000); --all follows the
            cursor to the end.

        """ + GlobalFlags.help + "\n"

    static let passageFilters = ["--turnstile", "--after", "--limit"]

    /// `catraca gpio pulse LINE [--ms N] [--turnstile NAME]`.
    func runGPIO(_ arguments: [String]) throws -> Int32 {
        let flags = GlobalFlags.all + [CLIFlag("--ms", "N"), CLIFlag("--turnstile", "NAME")]
        let options = try ParsedCommandLine(arguments, flags: flags, help: "catraca gpio --help")
        if options.isSet("--help") {
            standardOutput(CLIRunner.turnstilesHelp)
            return ExitCode.success
        }
        guard options.words.count == 2, options.words[0] == "pulse" else {
            throw CLIUsageError("gpio takes one verb: pulse fire-in or pulse exit-button", help: "catraca gpio --help")
        }
        let line = options.words[1]
        guard line == "fire-in" || line == "exit-button" else {
            throw CLIUsageError("\"\(line)\" is no turnstile line; use fire-in (direction A) or exit-button "
                                + "(direction B)", help: "catraca gpio --help")
        }
        var body: JSONObject = ["line": .string(line)]
        if let text = options.value("--ms") {
            guard let milliseconds = Int(text), (1...10_000).contains(milliseconds) else {
                throw CLIUsageError("--ms \"\(text)\" is not a whole number from 1 to 10000",
                                    help: "catraca gpio --help")
            }
            body["ms"] = .integer(milliseconds)
        }
        let (client, _) = try client(options)
        let json = options.isSet("--json")
        let turnstile: String
        if let name = options.value("--turnstile") {
            turnstile = name
        } else {
            let response = try client.get("/v1/turnstiles")
            guard response.isSuccess else { return report(response, json: json) }
            let names = (response.json?["turnstiles"]?.array ?? []).compactMap { $0["name"]?.string }
            guard names.count == 1 else {
                throw CLIUsageError("the site has \(names.count) turnstiles (\(names.joined(separator: ", "))); "
                                    + "name one with --turnstile", help: "catraca gpio --help")
            }
            turnstile = names[0]
        }
        let response = try client.post("/v1/turnstiles/\(APIPath.segment(turnstile))/pulse", body: .object(body))
        guard response.isSuccess else { return report(response, json: json) }
        let reply = response.json?.object ?? JSONObject()
        let ms = reply["ms"].map(ReplyRenderer.cell) ?? "?"
        let note = response.json?["note"]?.string.map { " (\($0))" } ?? ""
        standardOutput(json ? response.text + "\n" : "pulsed \(line) for \(ms) ms on turnstile \(turnstile)\(note)\n")
        return ExitCode.success
    }

    /// `catraca turnstiles`.
    func runTurnstiles(_ arguments: [String]) throws -> Int32 {
        let options = try ParsedCommandLine(arguments, flags: GlobalFlags.all, help: "catraca turnstiles --help")
        if options.isSet("--help") {
            standardOutput(CLIRunner.turnstilesHelp)
            return ExitCode.success
        }
        guard options.words.isEmpty else {
            throw CLIUsageError("turnstiles takes no words", help: "catraca turnstiles --help")
        }
        let (client, _) = try client(options)
        let json = options.isSet("--json")
        let response = try client.get("/v1/turnstiles")
        guard response.isSuccess else { return report(response, json: json) }
        standardOutput(json ? response.text + "\n"
                       : ReplyRenderer.turnstiles(response.json?["turnstiles"]?.array ?? []))
        return ExitCode.success
    }

    /// `catraca passages ...`: one page, or every page with `--all`.
    func runPassages(_ arguments: [String]) throws -> Int32 {
        let flags = GlobalFlags.all + CLIRunner.passageFilters.map { CLIFlag($0, "VALUE") } + [CLIFlag("--all")]
        let options = try ParsedCommandLine(arguments, flags: flags, help: "catraca passages --help")
        if options.isSet("--help") {
            standardOutput(CLIRunner.turnstilesHelp)
            return ExitCode.success
        }
        guard options.words.isEmpty else {
            throw CLIUsageError("passages takes flags only, not \"\(options.words.joined(separator: " "))\"",
                                help: "catraca passages --help")
        }
        let (client, _) = try client(options)
        let json = options.isSet("--json")
        var items = CLIRunner.passageFilters.compactMap { flag in
            options.value(flag).map { (String(flag.dropFirst(2)), $0) }
        }
        var passages: [JSONValue] = []
        while true {
            let response = try client.get(APIPath.query("/v1/passages", items))
            guard response.isSuccess else { return report(response, json: json) }
            let page = response.json?.object ?? JSONObject()
            guard options.isSet("--all") else {
                standardOutput(json ? response.text + "\n" : ReplyRenderer.passages(page["passages"]?.array ?? []))
                return ExitCode.success
            }
            passages += page["passages"]?.array ?? []
            guard let next = page["next"], next != .null, let cursor = next.string else { break }
            items.removeAll { $0.0 == "after" }
            items.append(("after", cursor))
        }
        let merged: JSONValue = ["passages": .array(passages), "next": .null]
        standardOutput(json ? JSONWriter().text(merged) + "\n" : ReplyRenderer.passages(passages))
        return ExitCode.success
    }
}
