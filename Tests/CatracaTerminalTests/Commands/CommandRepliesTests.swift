import CatracaJSON
import Testing
@testable import CatracaTerminal

@Suite struct CommandRepliesTests {
    @Test func userListEntriesGetNumbersWhateverTheirType() throws {
        let text = #"{"ret":"getuserlist","result":true,"count":"3","from":0,"to":"2","record":["#
            + #"{"enrollid":1,"admin":"0","backupnum":0},{"enrollid":"2","admin":1,"backupnum":"10"},"#
            + #"{"enrollid":39,"admin":0,"backupnum":0,"extra":"kept"}]}"#
        let normal = try normalized("getuserlist", text)
        #expect(normal == #"{"count":3,"from":0,"to":2,"record":[{"enrollid":1,"admin":0,"backupnum":0},"#
            + #"{"enrollid":2,"admin":1,"backupnum":10},{"enrollid":39,"admin":0,"backupnum":0,"extra":"kept"}]}"#)
        #expect(try normalized("getuserlist", normal) == normal)

        let entry = UserListEntry(entry: try #require(try jsonObject(text)["record"]?.array?[1]))
        #expect(entry == UserListEntry(entry: ["enrollid": 2, "admin": 1, "backupnum": 10]))
        #expect(entry.enrollid == 2 && entry.admin == 1)
    }

    @Test func getuserinfoInItsLongShape() throws {
        let text = #"{"ret":"getuserinfo","result":true,"sn":"ABCD12345678","enrollid":"1","name":"Fulano","#
            + #""departmant":"","admin":"0","pwd":0,"enable":1,"groupid":2}"#
        #expect(try normalized("getuserinfo", text)
                == #"{"enrollid":1,"name":"Fulano","department":"","admin":0,"pwd":0,"enable":1,"groupid":2}"#)
        let info = UserInfo(reply: try jsonObject(text))
        #expect(info.enrollid == 1 && info.admin == 0 && info.department == "" && info.groupid == 2)
        #expect(!info.isCredential)
    }

    @Test func getuserinfoInItsShortShape() throws {
        let photo = #"{"ret":"getuserinfo","result":true,"enrollid":1,"name":"Fulano","backupnum":50,"admin":0,"#
            + #""record":"aabbccdd"}"#
        #expect(try normalized("getuserinfo", photo)
                == #"{"enrollid":1,"name":"Fulano","backupnum":50,"admin":0,"record":"aabbccdd"}"#)
        #expect(UserInfo(reply: try jsonObject(photo)).slot == .face)

        // A card comes as a number, or as a string that is made one when no digit is lost.
        #expect(try normalized("getuserinfo", #"{"enrollid":1,"backupnum":11,"record":123456}"#)
                == #"{"enrollid":1,"backupnum":11,"record":123456}"#)
        #expect(try normalized("getuserinfo", #"{"enrollid":1,"backupnum":"11","record":"123456"}"#)
                == #"{"enrollid":1,"backupnum":11,"record":123456}"#)
        #expect(try normalized("getuserinfo", #"{"enrollid":1,"backupnum":11,"record":"0123"}"#)
                == #"{"enrollid":1,"backupnum":11,"record":"0123"}"#)
        // A photo that happens to be digits stays text.
        #expect(try normalized("getuserinfo", #"{"enrollid":1,"backupnum":50,"record":"1234"}"#)
                == #"{"enrollid":1,"backupnum":50,"record":"1234"}"#)
    }

    @Test func getusernameKeepsANameThatLooksLikeANumber() throws {
        #expect(try normalized("getusername", #"{"ret":"getusername","result":true,"record":"007"}"#)
                == #"{"record":"007"}"#)
        #expect(UserName(reply: try jsonObject(#"{"record":"Fulano"}"#)).name == "Fulano")
    }

    @Test func logEntriesAreShownLikeStoredRecordsWithoutThePhoto() throws {
        let entry = try JSONReader().parse(#"{"EnrollID":"1","time":"2023-1-5 8:04:09","mode":"8","inout":0,"#
            + #""event":0,"temp":"36.5","verifymode":13,"image":"/9j/4AAQ","door":2}"#)
        let record = CommandReplies.operatorRecord(entry)
        #expect(record.description == #"{"enrollid":1,"time":"2023-01-05 08:04:09","mode":8,"inout":0,"event":0,"#
            + #""temp":36.5,"verifymode":13,"has_image":true,"door":2}"#)
        #expect(CommandReplies.operatorRecord(record) == record)

        let plain = CommandReplies.operatorRecord(["enrollid": 2, "time": "bad time", "image": ""])
        #expect(plain.description == #"{"enrollid":2,"time":"bad time","has_image":false}"#)
        #expect(CommandReplies.operatorRecord(["enrollid": 3]).description == #"{"enrollid":3,"has_image":false}"#)
        #expect(CommandReplies.operatorRecord("not an object") == "not an object")
    }

    @Test func mergedLogListingsNormalizeOnceAndStayPut() throws {
        let merged = #"{"count":2,"record":[{"enrollid":1,"time":"2023-12-23 13:49:30","image":"QUJD"},"#
            + #"{"enrollid":2,"time":"2023-12-23 13:51:40","has_image":false}],"#
            + #""stored":{"new":"1","duplicates":1,"quarantined":0}}"#
        let normal = try normalized("getnewlog", merged)
        #expect(normal == #"{"count":2,"record":[{"enrollid":1,"time":"2023-12-23 13:49:30","has_image":true},"#
            + #"{"enrollid":2,"time":"2023-12-23 13:51:40","has_image":false}],"#
            + #""stored":{"new":1,"duplicates":1,"quarantined":0}}"#)
        #expect(try normalized("getalllog", normal) == normal)
    }

    @Test func envelopeIsRemovedAndUnknownFieldsKept() throws {
        #expect(try normalized("cleanuser", #"{"ret":"cleanuser","result":true,"sn":"A","vendor_x":"1"}"#)
                == #"{"vendor_x":"1"}"#)
        #expect(try normalized("getuserlock", #"{"cmd":"getuserlock","result":false,"reson":"1"}"#) == #"{"reason":1}"#)
        #expect(try normalized("setquestionnaire", #"{"text _color":[255,0,0]}"#) == #"{"text_color":[255,0,0]}"#)
    }

    @Test(arguments: [
        (1, "image too large (reason 1)"), (3, "terminal busy (reason 3); try again"),
        (5, "no face found in the image (reason 5)"), (6, "more than one face in the image (reason 6)"),
        (7, "image width or height too large (reason 7)"), (8, "face too large in the image (reason 8)"),
        (9, "face too small in the image (reason 9)"), (10, "image quality too low (reason 10)"),
        (11, "partial face: angled or covered (reason 11)"), (12, "face already enrolled (reason 12)"),
        (2, "image decoding failed (reason 2)"), (99, "image decoding failed (reason 99)"),
    ])
    func setuserinfoRefusalsAreWorded(reason: Int, text: String) {
        let reply: JSONObject = ["ret": "setuserinfo", "result": false, "reason": .integer(reason)]
        #expect(CommandReplies.refusalText(command: "setuserinfo", reply: reply) == text)
    }

    @Test func otherRefusalsAreGeneric() throws {
        #expect(CommandReplies.refusalText(command: "deleteuser", reply: ["result": false, "reason": 1])
                == "terminal answered result:false (reason 1)")
        #expect(CommandReplies.refusalText(command: "setuserinfo", reply: ["result": false, "reson": "5"])
                == "no face found in the image (reason 5)")
        #expect(CommandReplies.refusalText(command: "cleanlog", reply: ["result": false])
                == "terminal answered result:false without a reason")
        let result = CommandResult(reply: ["ret": "cleanlog", "result": "false", "reason": 1])
        #expect(result.isRefusal && result.reason == 1)
    }

    @Test func pagesAreReadLeniently() throws {
        let page = ReplyPage(reply: try jsonObject(#"{"ret":"getnewlog","result":true,"count":"1000","from":"0","#
            + #""to":49,"record":[{"enrollid":1}]}"#))
        #expect(page.count == 1000 && page.from == 0 && page.to == 49)
        #expect(page.entries == [["enrollid": 1]])

        let empty = ReplyPage(reply:
            try jsonObject(#"{"ret":"getnewlog","result":true,"count":0,"from":0,"to":0,"record":[]}"#))
        #expect(empty.count == 0 && empty.entries.isEmpty)

        let odd = ReplyPage(reply: try jsonObject(#"{"count":"many","record":"none","items":["Bife"]}"#))
        #expect(odd.count == nil && odd.entries.isEmpty && odd.items == ["Bife"])
    }
}
