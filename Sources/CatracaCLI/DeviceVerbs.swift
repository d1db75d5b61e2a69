import CatracaJSON

/// Verbs about the terminal itself: parameters, clock, door, reboot, factory clean.
enum DeviceVerbs {
    static let setInfoFlags: [(flag: CLIFlag, field: String)] = [
        (CLIFlag("--device-id", "N"), "deviceid"), (CLIFlag("--language", "N"), "language"),
        (CLIFlag("--volume", "N"), "volume"), (CLIFlag("--screensaver", "SECONDS"), "screensaver"),
        (CLIFlag("--verify-mode", "MODE"), "verifymode"), (CLIFlag("--sleep", "on|off"), "sleep"),
        (CLIFlag("--fingerprints-per-user", "N"), "usefpnum"), (CLIFlag("--log-hint", "N"), "loghint"),
        (CLIFlag("--reverify-time", "SECONDS"), "reverifytime"),
    ]

    static let all: [Verb] = [
        Verb(["info"], summary: "shows the terminal's parameters", details: "sends getdevinfo") { _ in
            .command("getdevinfo")
        },
        Verb(["set-info"], flags: setInfoFlags.map(\.flag), summary: "changes the terminal's parameters",
             details: """
                 sends one setdevinfo with the fields given: --device-id deviceid, --language language,
                 --volume volume, --screensaver screensaver (1-255 s), --verify-mode verifymode
                 (\(VerifyModeName.helpText)), --sleep sleep (on: screen off, sensor on),
                 --fingerprints-per-user usefpnum, --log-hint loghint (0 off), --reverify-time reverifytime
                 """, build: setInfo),
        Verb(["server-verify"], arguments: ["on|off"], summary: "switches server ratify on or off",
             details: "sends setdevinfo {\"server_verify\": 1|0}") { input in
            guard let text = input.argument(0) else { throw input.usage("server-verify needs on or off") }
            let on = try VerbInput.onOff(text, name: "server-verify", help: input.help)
            return .command("setdevinfo", ["server_verify": .integer(on ? 1 : 0)])
        },
        Verb(["time"], summary: "shows the terminal's clock", details: "sends gettime") { _ in .command("gettime") },
        Verb(["set-time"], flags: [CLIFlag("--time", "\"YYYY-MM-DD HH:MM:SS\"")],
             summary: "sets the terminal's clock",
             details: "sends settime {\"cloudtime\": --time, default the site's local time now}") { input in
            .command("settime", ["cloudtime": .string(input.options.value("--time") ?? input.context.siteNow())])
        },
        Verb(["sync-time"], summary: "sets the terminal's clock to this box's local time",
             details: "sends settime {\"cloudtime\": the site's local time now} (site.timeZone, else the box's zone)") {
            input in .command("settime", ["cloudtime": .string(input.context.siteNow())])
        },
        Verb(["open-door"], arguments: ["[N]"], summary: "opens door N (default 1)",
             details: "sends opendoor {\"doornum\": N}") { input in
            .command("opendoor", ["doornum": .integer(try input.integerArgument(0, name: "N") ?? 1)])
        },
        Verb(["reboot"], summary: "restarts the terminal", details: "sends reboot (the terminal answers nothing)") {
            _ in .command("reboot")
        },
        Verb(["init-system"], flags: [CLIFlag("--yes")], summary: "factory-cleans the terminal (needs --yes)",
             details: "sends initsys: every user, record and setting on the terminal is erased") { input in
            try input.requireConfirmation("init-system erases every user, record and setting on the terminal")
            return .command("initsys")
        },
        Verb(["clean-admins"], summary: "removes every administrator from the terminal",
             details: "sends cleanadmin (the users stay, without admin rights)") { _ in .command("cleanadmin") },
    ]

    @Sendable static func setInfo(_ input: VerbInput) throws -> VerbPlan {
        var params = JSONObject()
        for (flag, field) in setInfoFlags {
            switch flag.name {
            case "--verify-mode": params.set(field, try input.choice(flag.name, VerifyModeName.choices))
            case "--sleep": params.set(field, try input.onOff(flag.name))
            default: params.set(field, try input.integer(flag.name))
            }
        }
        guard !params.isEmpty else { throw input.usage("set-info needs at least one parameter flag") }
        return .command("setdevinfo", params)
    }
}
