import CatracaJSON

/// Verbs about which week zone binds each user (getuserlock/setuserlock/deleteuserlock/cleanuserlock).
enum UserLockVerbs {
    static let all: [Verb] = [
        Verb(["user-lock"], arguments: ["ID"], summary: "shows a user's week zone, group and validity",
             details: "sends getuserlock {\"enrollid\"}") { input in
            .command("getuserlock", ["enrollid": try input.enrollid()])
        },
        Verb(["user-lock", "set"], arguments: ["ID"],
             flags: [CLIFlag("--week-zone", "N"), CLIFlag("--group", "N"), CLIFlag("--start", "YYYY-MM-DD"),
                     CLIFlag("--end", "YYYY-MM-DD")],
             summary: "binds a user to a week zone",
             details: """
                 sends setuserlock {"record": [{"enrollid", "weekzone", "group", "starttime"?, "endtime"?}]}
                 (--week-zone and --group required); --start and --end take "YYYY-MM-DD HH:MM:SS", or a date
                 alone: its first and last second
                 """, build: set),
        Verb(["user-lock", "delete"], arguments: ["ID"], summary: "removes a user's week-zone binding",
             details: "sends deleteuserlock {\"enrollid\"}") { input in
            .command("deleteuserlock", ["enrollid": try input.enrollid()])
        },
        Verb(["user-locks", "clear"], summary: "removes every user's week-zone binding",
             details: "sends cleanuserlock") { _ in .command("cleanuserlock") },
    ]

    @Sendable static func set(_ input: VerbInput) throws -> VerbPlan {
        var entry: JSONObject = ["enrollid": try input.enrollid()]
        guard let weekZone = try input.integer("--week-zone"), let group = try input.integer("--group") else {
            throw input.usage("user-lock set needs --week-zone N and --group N")
        }
        entry["weekzone"] = weekZone
        entry["group"] = group
        entry.set("starttime", input.validityStart("--start"))
        entry.set("endtime", input.validityEnd("--end"))
        return .command("setuserlock", ["record": [.object(entry)]])
    }
}
