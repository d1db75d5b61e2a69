import CatracaCLI
import CatracaJSON
import Testing

struct HelpAndOutputTests {
    @Test func everyVerbAndGroupHasHelpThatSaysWhatIsSent() throws {
        for table in [VerbTable.terminal, VerbTable.fleet] {
            let overview = table.help(for: [])
            for verb in table.verbs {
                #expect(overview.contains(verb.path.joined(separator: " ")), "\(verb.path) missing from overview")
                #expect(!verb.summary.isEmpty)
                guard case .help(let text) = try table.parse(verb.path + ["--help"], context: GrammarTests.context)
                else {
                    Issue.record("\(verb.path) --help gave no help")
                    continue
                }
                #expect(text.contains(verb.synopsis), "\(verb.path) help lacks its synopsis")
                #expect(text.contains(verb.details.split(separator: "\n").first.map(String.init) ?? ""))
            }
        }
        #expect(VerbTable.terminal.help(for: ["user"]).contains("user enrol-cancel"))
        #expect(VerbTable.terminal.help(for: []).contains("Exit codes"))
    }

    @Test func everyFlagMeansTheSameEverywhere() {
        var kinds: [String: Bool] = [:]
        for flag in VerbTable.terminal.verbs.flatMap(\.flags) + GlobalFlags.all {
            if let known = kinds[flag.name] { #expect(known == flag.takesValue, "\(flag.name) changes kind") }
            kinds[flag.name] = flag.takesValue
        }
    }

    @Test(arguments: [
        ("invalid_request", 2), ("invalid_command", 2), ("unknown_command", 2), ("unauthorized", 1),
        ("not_found", 1), ("terminal_unknown", 4), ("terminal_offline", 4), ("terminal_disconnected", 4),
        ("terminal_timeout", 5), ("terminal_refused", 3), ("terminal_protocol_error", 6), ("queue_full", 1),
        ("store_unavailable", 1), ("something_new", 1), ("server_busy", 1), ("request_timeout", 1),
        ("body_too_large", 1), ("headers_too_large", 1),
    ])
    func apiErrorCodesMapToExitCodes(_ code: String, _ exit: Int32) {
        #expect(ExitCode.forErrorCode(code) == exit)
    }

    @Test func refusalIsASentenceWithTheReasonInWords() {
        let error = APIErrorBody(errorObject: [
            "code": "terminal_refused", "message": "terminal AB refused: no face found in the image",
            "sn": "AB", "reason": 5, "reason_text": "no face found in the image",
        ])
        #expect(error.sentence == "terminal AB refused: no face found in the image (reason 5)")
        #expect(error.exitCode == 3)
        let notJSON = APIErrorBody(response: APIResponse(status: 500, body: Array("boom".utf8)))
        #expect(notJSON.sentence == "the API answered HTTP 500: boom")
        #expect(notJSON.exitCode == 1)
    }

    @Test func tableColumnsAlign() {
        let table = TextTable(header: ["A", "LONGER"], rows: [["xyz", "1"], ["ção", "22"]])
        #expect(table.render() == "A    LONGER\nxyz  1\nção  22\n")
    }

    @Test func usersAreOneRowEachWithTheirCredentials() {
        let reply: JSONObject = ["count": 3, "record": [
            ["enrollid": 1, "admin": 0, "backupnum": 50], ["enrollid": 1, "admin": 0, "backupnum": 11],
            ["enrollid": 2, "admin": 1, "backupnum": 3],
        ]]
        #expect(ReplyRenderer.users(reply) == """
            ENROLLID  ADMIN  CREDENTIALS
            1         0      face,card
            2         1      finger3
            2 users

            """)
    }

    @Test func logsAreATableWithWhatWasStored() {
        let reply: JSONObject = [
            "count": 1,
            "record": [["enrollid": 7, "time": "2024-01-02 03:04:05", "mode": 8, "inout": 0, "event": 0,
                        "verifymode": 8, "name": "Ana", "has_image": true]],
            "stored": ["new": 1, "duplicates": 0, "quarantined": 0],
        ]
        let text = ReplyRenderer.logs(reply)
        #expect(text.hasPrefix("ENROLLID  TIME                 MODE"))
        #expect(text.contains("7         2024-01-02 03:04:05  8"))
        #expect(text.hasSuffix("1 records; stored: new 1, duplicates 0, quarantined 0\n"))
    }

    @Test func fieldsFlattenNestedObjects() {
        let status: JSONObject = ["daemon": ["version": "1.0", "pid": 42], "terminals": ["connected": 1]]
        let expected = "daemon.version:       1.0\ndaemon.pid:           42\nterminals.connected:  1\n"
        #expect(ReplyRenderer.fields(status) == expected)
    }

    @Test func sentCommandsSayNoReplyCame() {
        let result: JSONObject = ["sn": "AB", "command": "reboot", "outcome": "sent", "reply": .null]
        #expect(ReplyRenderer.commandResult(result, presentation: .fields)
            == "sent reboot to AB; the terminal gives no reply to it\n")
    }
}
