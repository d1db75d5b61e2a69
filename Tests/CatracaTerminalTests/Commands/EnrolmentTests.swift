import CatracaJSON
import Testing
@testable import CatracaTerminal

@Suite struct EnrolmentTests {
    @Test func adduserEnrolsOnTheTerminal() throws {
        #expect(try encoded("adduser", #"{"enrollid":1,"backupnum":50,"admin":0,"name":"Fulano","flag":10}"#)
                == #"{"cmd":"adduser","enrollid":1,"backupnum":50,"admin":0,"name":"Fulano","flag":10}"#)
        #expect(try encoded("adduser", #"{"enrollid":"2","backupnum":"41"}"#)
                == #"{"cmd":"adduser","enrollid":2,"backupnum":41,"flag":10}"#)
    }

    @Test func cancelIsItsOwnCommand() throws {
        #expect(try encoded("adduser", #"{"cancel":true}"#) == #"{"cmd":"adduser","cancel":true}"#)
        #expect(try refusal("adduser", #"{"cancel":false}"#)?.field == "cancel")
        #expect(try refusal("adduser", #"{"cancel":true,"enrollid":1}"#)
                == CommandValidationError(field: "enrollid", message: "cancel is sent alone; leave out enrollid"))
    }

    @Test(arguments: [
        (#"{"backupnum":50}"#, "enrollid"),
        (#"{"enrollid":1}"#, "backupnum"),
        (#"{"enrollid":1,"backupnum":10}"#, "backupnum"),
        (#"{"enrollid":1,"backupnum":12}"#, "backupnum"),
        (#"{"enrollid":1,"backupnum":42}"#, "backupnum"),
        (#"{"enrollid":1,"backupnum":50,"admin":2}"#, "admin"),
        (#"{"enrollid":1,"backupnum":50,"flag":1}"#, "flag"),
    ])
    func adduserRefusesWhatCannotBeEnrolled(params: String, field: String) throws {
        #expect(try refusal("adduser", params)?.field == field)
    }

    @Test func theBusyReplyIsRecognisedAndWorded() throws {
        let busy = try jsonObject(#"{"ret":"adduser","result":false,"reason":3,"mesg":"device is working"}"#)
        #expect(AddUserReply(reply: busy).isBusy)
        #expect(CommandReplies.refusalText(command: "adduser", reply: busy)
                == "terminal is busy enrolling (device is working); send adduser cancel")
        let other = try jsonObject(#"{"ret":"adduser","result":false,"reason":"1"}"#)
        #expect(!AddUserReply(reply: other).isBusy)
        #expect(CommandReplies.refusalText(command: "adduser", reply: other)
                == "terminal answered result:false (reason \"1\")")
    }
}
