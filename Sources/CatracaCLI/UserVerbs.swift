import CatracaJSON
import Foundation

/// Verbs about the users held by a terminal and their credentials.
enum UserVerbs {
    static let setFlags: [CLIFlag] = [
        CLIFlag("--name", "NAME"), CLIFlag("--card", "NUMBER"), CLIFlag("--password", "DIGITS"),
        CLIFlag("--photo", "FILE"), CLIFlag("--department", "TEXT"), CLIFlag("--verify-mode", "MODE"),
        CLIFlag("--enable"), CLIFlag("--disable"), CLIFlag("--start", "YYYY-MM-DD"), CLIFlag("--end", "YYYY-MM-DD"),
        CLIFlag("--group", "N"), CLIFlag("--access-times", "N"),
    ]

    static let all: [Verb] = [
        Verb(["users"], summary: "lists the users (enrollid, admin, credentials)",
             details: "sends getuserlist, page by page") { _ in .command("getuserlist", presentation: .users) },
        Verb(["users", "clear"], flags: [CLIFlag("--yes")], summary: "removes every user (needs --yes)",
             details: "sends cleanuser") { input in
            try input.requireConfirmation("users clear removes every user from the terminal")
            return .command("cleanuser")
        },
        Verb(["user"], arguments: ["ID"], flags: [CLIFlag("--credential", "SLOT"), CLIFlag("--out", "FILE")],
             summary: "shows a user, or one credential with --credential",
             details: """
                 sends getuserinfo {"enrollid"}; with --credential also "backupnum"
                 (\(CredentialName.helpText)), and --out FILE writes the credential's data there
                 (a face photo as the image file)
                 """, build: show),
        Verb(["user", "set"], arguments: ["ID"], flags: setFlags, summary: "creates or changes a user",
             details: """
                 sends setuserinfo {"enrollid", "name", "department", "verifymode", "enable", "starttime",
                 "endtime", "groupid", "access_times", "card", "pwd"} with the fields given; a --photo goes in
                 its own setuserinfo {"enrollid", "name"?, "backupnum": 50, "record": base64 of the file}
                 (sent second; alone when nothing else is given), since "record" carries one credential.
                 --start and --end take "YYYY-MM-DD HH:MM:SS", or a date alone: its first and last second.
                 --verify-mode: \(VerifyModeName.helpText)
                 """, build: set),
        Verb(["user", "delete"], arguments: ["ID"], flags: [CLIFlag("--credential", "SLOT")],
             summary: "deletes a user, or only one of their credentials",
             details: "sends deleteuser {\"enrollid\", \"backupnum\": 12 (whole user) or the --credential slot}") {
            input in
            let backupnum = JSONValue.integer(try input.credential() ?? 12)
            return .command("deleteuser", ["enrollid": try input.enrollid(), "backupnum": backupnum])
        },
        Verb(["user", "name"], arguments: ["ID"], summary: "shows a user's name",
             details: "sends getusername {\"enrollid\"}") { input in
            .command("getusername", ["enrollid": try input.enrollid()])
        },
        Verb(["user", "rename"], arguments: ["ID", "NAME"], summary: "changes a user's name",
             details: "sends setusername {\"record\": [{\"enrollid\", \"name\"}]}") { input in
            guard let name = input.argument(1) else { throw input.usage("user rename needs ID and NAME") }
            let entry: JSONValue = ["enrollid": try input.enrollid(), "name": .string(name)]
            return .command("setusername", ["record": [entry]])
        },
        Verb(["user", "enable"], arguments: ["ID"], summary: "lets a user in again",
             details: "sends enableuser {\"enrollid\", \"enflag\": 1}") { input in
            .command("enableuser", ["enrollid": try input.enrollid(), "enflag": 1])
        },
        Verb(["user", "disable"], arguments: ["ID"], summary: "keeps a user out without deleting them",
             details: "sends enableuser {\"enrollid\", \"enflag\": 0}") { input in
            .command("enableuser", ["enrollid": try input.enrollid(), "enflag": 0])
        },
        Verb(["user", "enrol"], arguments: ["ID"],
             flags: [CLIFlag("--credential", "SLOT"), CLIFlag("--name", "NAME"), CLIFlag("--admin")],
             summary: "starts enrolment on the terminal itself (the person presents face, card, palm or finger)",
             details: """
                 sends adduser {"enrollid", "backupnum" (--credential face|card|palm|palm2|fingerN, required),
                 "admin": 1 with --admin else 0, "name"?, "flag": 10}
                 """, build: enrol),
        Verb(["user", "enrol-cancel"], summary: "cancels an enrolment in progress",
             details: "sends adduser {\"cancel\": true}") { _ in .command("adduser", ["cancel": true]) },
    ]

    @Sendable static func show(_ input: VerbInput) throws -> VerbPlan {
        var params: JSONObject = ["enrollid": try input.enrollid()]
        guard let backupnum = try input.credential() else {
            if input.options.has("--out") { throw input.usage("--out needs --credential (which data to write)") }
            return .command("getuserinfo", params)
        }
        params["backupnum"] = .integer(backupnum)
        return .command("getuserinfo", params, presentation: .credential(outFile: input.options.value("--out")))
    }

    @Sendable static func set(_ input: VerbInput) throws -> VerbPlan {
        let enrollid = try input.enrollid()
        var person: JSONObject = ["enrollid": enrollid]
        person.set("name", input.string("--name"))
        person.set("department", input.string("--department"))
        person.set("verifymode", try input.choice("--verify-mode", VerifyModeName.choices))
        person.set("enable", try enable(input))
        person.set("starttime", input.validityStart("--start"))
        person.set("endtime", input.validityEnd("--end"))
        person.set("groupid", try input.integer("--group"))
        person.set("access_times", try input.integer("--access-times"))
        person.set("card", input.string("--card"))
        person.set("pwd", input.string("--password"))
        guard let photoPath = input.options.value("--photo") else {
            guard person.count > 1 else { throw input.usage("user set needs at least one field to set") }
            return VerbPlan([.command(name: "setuserinfo", params: person)])
        }
        var photo: JSONObject = ["enrollid": enrollid]
        photo.set("name", input.string("--name"))
        photo["backupnum"] = 50
        photo["record"] = .string(Data(try readPhoto(photoPath, input)).base64EncodedString())
        let onlyPhoto = person.keys.allSatisfy { $0 == "enrollid" || $0 == "name" }
        let calls: [APICall] = onlyPhoto
            ? [.command(name: "setuserinfo", params: photo)]
            : [.command(name: "setuserinfo", params: person), .command(name: "setuserinfo", params: photo)]
        return VerbPlan(calls)
    }

    private static func enable(_ input: VerbInput) throws -> JSONValue? {
        switch (input.options.isSet("--enable"), input.options.isSet("--disable")) {
        case (true, true): throw input.usage("--enable and --disable contradict each other")
        case (true, false): return 1
        case (false, true): return 0
        case (false, false): return nil
        }
    }

    private static func readPhoto(_ path: String, _ input: VerbInput) throws -> [UInt8] {
        do {
            let bytes = try input.context.readFile(path)
            guard !bytes.isEmpty else { throw input.usage("--photo \(path) is empty") }
            return bytes
        } catch let error as CLIUsageError {
            throw error
        } catch {
            throw input.usage("--photo \(path) cannot be read: \(error)")
        }
    }

    @Sendable static func enrol(_ input: VerbInput) throws -> VerbPlan {
        guard let backupnum = try input.credential() else {
            throw input.usage("user enrol needs --credential face|card|palm|palm2|finger0..finger9")
        }
        var params: JSONObject = ["enrollid": try input.enrollid(), "backupnum": .integer(backupnum)]
        params["admin"] = input.options.isSet("--admin") ? 1 : 0
        params.set("name", input.string("--name"))
        params["flag"] = 10
        return .command("adduser", params)
    }
}
