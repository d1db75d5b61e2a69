import CatracaJSON

/// `catraca terminal SN intercom ...`: the terminal's WebRTC intercom and camera monitoring (`enablewebrtc`).
enum IntercomVerbs {
    static let all: [Verb] = [
        Verb(["intercom", "enable"],
             flags: [CLIFlag("--intercom", "on|off"), CLIFlag("--monitor", "on|off"), CLIFlag("--inputmode", "MODE"),
                     CLIFlag("--stun", "URL"), CLIFlag("--turn", "URL"), CLIFlag("--turn-username", "NAME"),
                     CLIFlag("--turn-password", "PASSWORD")],
             summary: "turns the terminal's intercom and camera monitoring on",
             details: """
                 sends enablewebrtc; --intercom and --monitor default to on; --inputmode picks phones by what the \
                 visitor dials: default (0), enrollid (1, the default), phone (2), apartment (3); the STUN and TURN \
                 servers and credentials come from intercom in the daemon's config unless given
                 """) { input in
            var params: JSONObject = [
                "intercom": .bool(try input.onOff("--intercom").map { $0 == .integer(1) } ?? true),
                "monitor": .bool(try input.onOff("--monitor").map { $0 == .integer(1) } ?? true),
            ]
            let modes = [("default", 0), ("enrollid", 1), ("phone", 2), ("apartment", 3)]
            params.appendIfGiven("inputmode", try input.choice("--inputmode", modes))
            for (flag, field) in [("--stun", "stunserver"), ("--turn", "turnserver"),
                                  ("--turn-username", "turnusername"), ("--turn-password", "turnpassword")] {
                params.appendIfGiven(field, input.options.value(flag).map(JSONValue.string))
            }
            return .command("enablewebrtc", params)
        },
        Verb(["intercom", "disable"], summary: "turns the terminal's intercom and camera monitoring off",
             details: "sends enablewebrtc {\"intercom\": false, \"monitor\": false}") { _ in
            .command("enablewebrtc", ["intercom": false, "monitor": false])
        },
    ]
}

extension JSONObject {
    fileprivate mutating func appendIfGiven(_ key: String, _ value: JSONValue?) {
        if let value { append(key: key, value: value) }
    }
}
