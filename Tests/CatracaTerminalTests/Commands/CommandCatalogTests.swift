import CatracaJSON
import Testing
@testable import CatracaTerminal

@Suite struct CommandCatalogTests {
    /// Section 2's commands in order, then section 4's `enablewebrtc`.
    @Test func everyCommandOfSectionTwoIsKnownInProtocolOrder() {
        #expect(TerminalCommand.knownNames == [
            "getuserlist", "getuserinfo", "setuserinfo", "deleteuser", "getusername", "setusername", "enableuser",
            "cleanuser", "getnewlog", "getalllog", "cleanlog", "initsys", "reboot", "cleanadmin", "settime",
            "setdevinfo", "opendoor", "getdevinfo", "setdevlock", "getdevlock", "getuserlock", "setuserlock",
            "deleteuserlock", "cleanuserlock", "gettime", "setquestionnaire", "getquestionnaire", "adduser",
            "enablewebrtc",
        ])
    }

    @Test func expectationsFollowTheProtocol() throws {
        func expectation(_ name: String, _ params: String = "{}") throws -> ReplyExpectation {
            try TerminalCommand.make(name: name, params: try jsonObject(params)).expectation
        }
        #expect(try expectation("reboot") == .none)
        #expect(try expectation("cleanadmin") == .replyIfAny)
        #expect(try expectation("settime", #"{"cloudtime":"2024-01-02 03:04:05"}"#) == .replyIfAny)
        #expect(try expectation("opendoor", #"{"doornum":1}"#) == .replyIfAny)
        #expect(try expectation("getdevinfo") == .reply)
        #expect(try expectation("cleanuser") == .reply)
    }

    @Test func pagedCommandsSayWhatTheyList() throws {
        func paging(_ name: String, _ params: String = "{}") throws -> CommandPaging? {
            try TerminalCommand.make(name: name, params: try jsonObject(params)).paging
        }
        #expect(try paging("getuserlist") == .users)
        #expect(try paging("getnewlog") == .logs)
        #expect(try paging("getalllog", #"{"from":"2024-01-01","to":"2024-01-31"}"#) == .logs)
        #expect(try paging("getquestionnaire") == .questionnaire)
        #expect(try paging("gettime") == nil)
    }

    @Test func fieldlessCommandsEncodeToTheirNameOnly() throws {
        for name in ["getuserlist", "cleanuser", "getnewlog", "cleanlog", "initsys", "reboot", "cleanadmin",
                     "getdevinfo", "getdevlock", "cleanuserlock", "gettime", "getquestionnaire"] {
            #expect(try encoded(name) == #"{"cmd":"\#(name)"}"#)
            #expect(try refusal(name, #"{"x":1}"#)?.message
                    == "is not a field of this command (this command takes no fields)")
        }
    }

    @Test func anUnknownNameSuggestsTheRawPassthrough() throws {
        #expect(throws: UnknownCommandError(name: "selfdestruct")) {
            try TerminalCommand.make(name: "selfdestruct", params: JSONObject())
        }
        let text = UnknownCommandError(name: "enablewebrtc").description
        #expect(text.contains("unknown command \"enablewebrtc\""))
        #expect(text.contains("raw passthrough"))
        #expect(text.contains("getuserlist, getuserinfo"))
    }

    @Test func countAndStnAreTheDaemons() throws {
        let count = try refusal("setusername", #"{"count":1,"record":[{"enrollid":1,"name":"Ana"}]}"#)
        #expect(count
                == CommandValidationError(field: "count",
                                          message: "is counted by the daemon from record; leave it out"))
        #expect(try refusal("getuserlist", #"{"stn":true}"#)?.field == "stn")
    }

    @Test func aFieldGivenTwiceIsRefused() throws {
        #expect(try refusal("getusername", #"{"enrollid":1,"enrollid":2}"#)
                == CommandValidationError(field: "enrollid", message: "given more than once"))
    }

    @Test func nullCountsAsNotGiven() throws {
        #expect(try encoded("getuserinfo", #"{"enrollid":1,"backupnum":null}"#)
                == #"{"cmd":"getuserinfo","enrollid":1}"#)
    }

    @Test func rawSendsTheMessageAsGiven() throws {
        let message = try jsonObject(#"{"cmd":"enablewebrtc","intercom":true,"inputmode":1}"#)
        let command = try TerminalCommand.raw(message: message, expectReply: true)
        #expect(command.name == "enablewebrtc")
        #expect(command.expectation == .reply)
        #expect(command.paging == nil)
        #expect(JSONValue.object(command.message()).description
                == #"{"cmd":"enablewebrtc","intercom":true,"inputmode":1}"#)
        #expect(try TerminalCommand.raw(message: message, expectReply: false).expectation == .none)
    }

    @Test(arguments: [
        (#"{"intercom":true}"#, "cmd"), (#"{"cmd":""}"#, "cmd"), (#"{"cmd":7}"#, "cmd"),
        (#"{"cmd":"getuserlist","stn":true}"#, "stn"), (#"{"cmd":"reg","ret":"reg"}"#, "ret"),
    ])
    func rawRefusesWhatIsNotACommand(message: String, field: String) throws {
        let error = #expect(throws: CommandValidationError.self) {
            try TerminalCommand.raw(message: try jsonObject(message), expectReply: true)
        }
        #expect(error?.field == field)
    }

    @Test func errorsReadAsFieldThenWhy() {
        let error = CommandValidationError(field: "backupnum", message: "13 is not a credential slot")
        #expect(error.description == "backupnum: 13 is not a credential slot")
    }
}
