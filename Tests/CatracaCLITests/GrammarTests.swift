import CatracaCLI
import CatracaJSON
import Testing

/// Each verb of `catraca terminal SN` turns into the command and params contract section 1 names.
struct GrammarTests {
    static let context = VerbContext(siteNow: { "2024-05-06 07:08:09" }, readFile: { path in
        guard path == "face.jpg" else { throw TestFileMissing() }
        return [0xFF, 0xD8, 0xFF, 0xE0]
    })

    struct TestFileMissing: Error {}

    func plan(_ words: [String], table: VerbTable = .terminal) throws -> VerbPlan {
        guard case .plan(_, let plan, _) = try table.parse(words, context: GrammarTests.context) else {
            Issue.record("\(words) gave help instead of a plan")
            return VerbPlan([])
        }
        return plan
    }

    func call(_ line: String) throws -> APICall? {
        try plan(Self.split(line)).calls.first
    }

    /// Splits on spaces, keeping text in single quotes together (enough for these lines).
    static func split(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for character in line {
            if character == "'" { quoted.toggle(); continue }
            if character == " " && !quoted {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static let singleCommands: [(String, String, String)] = [
        ("info", "getdevinfo", "{}"),
        ("set-info --volume 5 --screensaver 30 --verify-mode face+card --sleep on", "setdevinfo",
         #"{"volume":5,"screensaver":30,"verifymode":10,"sleep":1}"#),
        ("set-info --device-id 3 --language 2 --fingerprints-per-user 4 --log-hint 100 --reverify-time 5",
         "setdevinfo", #"{"deviceid":3,"language":2,"usefpnum":4,"loghint":100,"reverifytime":5}"#),
        ("server-verify on", "setdevinfo", #"{"server_verify":1}"#),
        ("server-verify off", "setdevinfo", #"{"server_verify":0}"#),
        ("time", "gettime", "{}"),
        ("set-time --time '2024-01-02 03:04:05'", "settime", #"{"cloudtime":"2024-01-02 03:04:05"}"#),
        ("set-time", "settime", #"{"cloudtime":"2024-05-06 07:08:09"}"#),
        ("sync-time", "settime", #"{"cloudtime":"2024-05-06 07:08:09"}"#),
        ("open-door", "opendoor", #"{"doornum":1}"#),
        ("open-door 2", "opendoor", #"{"doornum":2}"#),
        ("reboot", "reboot", "{}"),
        ("init-system --yes", "initsys", "{}"),
        ("clean-admins", "cleanadmin", "{}"),
        ("users", "getuserlist", "{}"),
        ("users clear --yes", "cleanuser", "{}"),
        ("user 12", "getuserinfo", #"{"enrollid":12}"#),
        ("user 12 --credential face --out face.jpg", "getuserinfo", #"{"enrollid":12,"backupnum":50}"#),
        ("user 12 --credential finger3", "getuserinfo", #"{"enrollid":12,"backupnum":3}"#),
        ("user set 12 --name Ana --card 123456 --password 1234 --department X --verify-mode face+card --enable "
            + "--start 2024-01-01 --end 2024-12-31 --group 2 --access-times 0", "setuserinfo",
         #"{"enrollid":12,"name":"Ana","department":"X","verifymode":10,"enable":1,"#
            + #""starttime":"2024-01-01 00:00:00","endtime":"2024-12-31 23:59:59","groupid":2,"access_times":0,"#
            + #""card":"123456","pwd":"1234"}"#),
        ("user set 12 --disable", "setuserinfo", #"{"enrollid":12,"enable":0}"#),
        ("user delete 12", "deleteuser", #"{"enrollid":12,"backupnum":12}"#),
        ("user delete 12 --credential card", "deleteuser", #"{"enrollid":12,"backupnum":11}"#),
        ("user name 12", "getusername", #"{"enrollid":12}"#),
        ("user rename 12 Bia", "setusername", #"{"record":[{"enrollid":12,"name":"Bia"}]}"#),
        ("user enable 12", "enableuser", #"{"enrollid":12,"enflag":1}"#),
        ("user disable 12", "enableuser", #"{"enrollid":12,"enflag":0}"#),
        ("user enrol 12 --credential face --name Ana --admin", "adduser",
         #"{"enrollid":12,"backupnum":50,"admin":1,"name":"Ana","flag":10}"#),
        ("user enrol 12 --credential palm", "adduser", #"{"enrollid":12,"backupnum":40,"admin":0,"flag":10}"#),
        ("user enrol-cancel", "adduser", #"{"cancel":true}"#),
        ("logs", "getnewlog", "{}"),
        ("logs --new", "getnewlog", "{}"),
        ("logs --all --from 2024-01-01 --to 2024-01-31", "getalllog", #"{"from":"2024-01-01","to":"2024-01-31"}"#),
        ("logs --all", "getalllog", #"{"from":"2000-01-01","to":"2099-12-31"}"#),
        ("logs clear --yes", "cleanlog", "{}"),
        ("door-lock", "getdevlock", "{}"),
        ("door-lock set --open-delay 5 --door-sensor nc --threat alarm --anti-passback outside --interlock on "
            + "--multi-open 2 --wiegand 34 --day-zone '07:00~12:00, 13:00~18:00' --day-zone 00:01~23:59 "
            + "--week-zone 1,1,1,1,1,2,2", "setdevlock",
         #"{"opendelay":5,"multiopen":2,"wgformat":34,"doorsensor":1,"threat":2,"antpass":2,"interlock":1,"#
            + #""dayzone":[{"day":[{"section":"07:00~12:00"},{"section":"13:00~18:00"}]},"#
            + #"{"day":[{"section":"00:01~23:59"}]}],"weekzone":[{"week":[{"day":1},{"day":1},{"day":1},"#
            + #"{"day":1},{"day":1},{"day":2},{"day":2}]}]}"#),
        ("user-lock 12", "getuserlock", #"{"enrollid":12}"#),
        ("user-lock set 12 --week-zone 1 --group 1 --start 2024-01-01 --end 2024-12-31", "setuserlock",
         #"{"record":[{"enrollid":12,"weekzone":1,"group":1,"starttime":"2024-01-01 00:00:00","#
            + #""endtime":"2024-12-31 23:59:59"}]}"#),
        ("user-lock set 12 --week-zone 1 --group 1 --start '2024-01-01 07:30:00'", "setuserlock",
         #"{"record":[{"enrollid":12,"weekzone":1,"group":1,"starttime":"2024-01-01 07:30:00"}]}"#),
        ("user-lock delete 12", "deleteuserlock", #"{"enrollid":12}"#),
        ("user-locks clear", "cleanuserlock", "{}"),
        ("questionnaire", "getquestionnaire", "{}"),
    ]

    @Test(arguments: singleCommands)
    func verbBecomesCommandWithProtocolParams(_ line: String, _ name: String, _ params: String) throws {
        let expected = try #require(JSONReader.parse(params).object)
        #expect(try call(line) == .command(name: name, params: expected))
    }

    @Test func userSetWithPhotoSendsPersonThenPhoto() throws {
        let calls = try plan(["user", "set", "12", "--name", "Ana", "--card", "1", "--photo", "face.jpg"]).calls
        #expect(calls == [
            .command(name: "setuserinfo", params: ["enrollid": 12, "name": "Ana", "card": "1"]),
            .command(name: "setuserinfo",
                     params: ["enrollid": 12, "name": "Ana", "backupnum": 50, "record": "/9j/4A=="]),
        ])
    }

    @Test func userSetWithOnlyAPhotoSendsOneMessage() throws {
        let calls = try plan(["user", "set", "12", "--photo", "face.jpg"]).calls
        let photo: JSONObject = ["enrollid": 12, "backupnum": 50, "record": "/9j/4A=="]
        #expect(calls == [.command(name: "setuserinfo", params: photo)])
    }

    @Test func rawSendsTheMessageAsGiven() throws {
        #expect(try call(#"raw '{"cmd":"getdevinfo","x":1}' --no-reply"#)
            == .raw(message: ["cmd": "getdevinfo", "x": 1], expectReply: false))
        #expect(try call(#"raw '{"cmd":"gettime"}'"#) == .raw(message: ["cmd": "gettime"], expectReply: true))
    }

    @Test func presentationsFollowTheVerb() throws {
        #expect(try plan(["users"]).presentation == .users)
        #expect(try plan(["logs", "--all"]).presentation == .logs)
        #expect(try plan(["user", "1", "--credential", "face", "--out", "f.jpg"]).presentation
            == .credential(outFile: "f.jpg"))
    }

    @Test func fleetVerbsShareTheTerminalGrammar() throws {
        #expect(try plan(["sync-time"], table: .fleet).calls
            == [.command(name: "settime", params: ["cloudtime": "2024-05-06 07:08:09"])])
        let openDoor = try plan(["open-door", "3"], table: .fleet)
        #expect(openDoor.calls == [.command(name: "opendoor", params: ["doornum": 3])])
        #expect(VerbTable.fleet.verbs.map { $0.path.joined(separator: " ") } == [
            "list", "info", "time", "sync-time", "set-time", "open-door", "reboot", "set-info", "server-verify",
            "door-lock", "door-lock set", "raw",
        ])
        #expect(VerbTable.fleet.match(["users"]) == nil)
    }

    static let usageErrors: [(String, String)] = [
        ("frob", "unknown verb \"frob\""),
        ("", "a verb is needed"),
        ("user", "user needs ID"),
        ("user x", "ID \"x\" is not a whole number"),
        ("user delete 1 --name A", "user delete does not take --name"),
        ("info --bogus", "unknown flag --bogus"),
        ("open-door 1 2", "open-door does not take \"2\""),
        ("init-system", "add --yes"),
        ("users clear", "add --yes"),
        ("logs clear", "add --yes"),
        ("set-info", "at least one"),
        ("set-info --volume loud", "--volume \"loud\" is not a whole number"),
        ("server-verify maybe", "expected on or off"),
        ("user set 1 --enable --disable", "contradict"),
        ("user set 1 --name A --name B", "--name is given more than once"),
        ("user set 1 --photo missing.jpg", "--photo missing.jpg cannot be read"),
        ("user enrol 1", "needs --credential"),
        ("user 1 --credential nose", "--credential \"nose\""),
        ("user 1 --out f.jpg", "--out needs --credential"),
        ("logs --from 2024-01-01", "go with --all"),
        ("logs --new --all", "contradict"),
        ("door-lock set --door-sensor maybe", "--door-sensor \"maybe\": expected one of off (0), nc (1), no (2)"),
        ("door-lock set --week-zone 1,x", "\"x\" is not a day-zone number"),
        ("user-lock set 1 --group 1", "needs --week-zone N and --group N"),
        ("user-lock set 1 --week-zone 1 --week-zone 2 --group 1", "--week-zone is given more than once"),
        ("raw notjson", "is not a JSON object"),
        (#"raw '{"x":1}'"#, "needs a \"cmd\""),
        ("questionnaire set", "needs --file"),
        ("info --volume 5", "info does not take --volume"),
        ("set-info --volume", "--volume needs a value"),
    ]

    @Test(arguments: usageErrors)
    func malformedLinesAreUsageErrorsNamingTheProblem(_ line: String, _ fragment: String) {
        do {
            _ = try plan(Self.split(line))
            Issue.record("\(line) was accepted")
        } catch let error as CLIUsageError {
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.description.contains("--help"))
        } catch {
            Issue.record("\(line) threw \(error), not a usage error")
        }
    }
}

@Suite struct GlobalFlagPositionTests {
    @Test(arguments: [
        (["--json", "status"], ["status", "--json"]),
        (["--api", "http://h:1", "--token", "T", "status"], ["status", "--api", "http://h:1", "--token", "T"]),
        (["terminal", "--api=http://h:1", "SN", "time"], ["terminal", "SN", "time", "--api=http://h:1"]),
        (["terminal", "SN", "user", "--help"], ["terminal", "SN", "user", "--help"]),
        (["terminal", "SN", "user", "set", "1", "--name", "Ana"],
         ["terminal", "SN", "user", "set", "1", "--name", "Ana"]),
    ])
    func globalFlagsMayComeAnywhere(given: [String], expected: [String]) {
        #expect(GlobalFlags.movedToEnd(given) == expected)
    }
}
