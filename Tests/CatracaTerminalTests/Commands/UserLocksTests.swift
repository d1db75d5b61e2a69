import CatracaJSON
import Testing
@testable import CatracaTerminal

@Suite struct UserLocksTests {
    @Test func setuserlockCountsItsRecords() throws {
        let params = #"{"record":[{"enrollid":1,"weekzone":1,"group":1},"#
            + #"{"enrollid":"2","weekzone":"2","group":0,"starttime":"2025-10-10 01:00:00","#
            + #""endtime":"2099-03-25 23:00:00"}]}"#
        #expect(try encoded("setuserlock", params) == #"{"cmd":"setuserlock","count":2,"record":["#
            + #"{"enrollid":1,"weekzone":1,"group":1},{"enrollid":2,"weekzone":2,"group":0,"#
            + #""starttime":"2025-10-10 01:00:00","endtime":"2099-03-25 23:00:00"}]}"#)
    }

    @Test(arguments: [
        (#"{"record":[]}"#, "record"),
        (#"{}"#, "record"),
        (#"{"record":[{"enrollid":1,"weekzone":9,"group":1}]}"#, "record[0].weekzone"),
        (#"{"record":[{"enrollid":1,"weekzone":0,"group":1}]}"#, "record[0].weekzone"),
        (#"{"record":[{"enrollid":1,"weekzone":1}]}"#, "record[0].group"),
        (#"{"record":[{"enrollid":1,"weekzone":1,"group":1,"starttime":"2025-10-10"}]}"#, "record[0].starttime"),
        (#"{"record":[{"enrollid":1,"weekzone":1,"group":1,"starttime":"2025-10-10 00:00:00","#
         + #""endtime":"2025-10-09 00:00:00"}]}"#, "record[0].endtime"),
    ])
    func setuserlockRefusesBadEntries(params: String, field: String) throws {
        #expect(try refusal("setuserlock", params)?.field == field)
    }

    @Test func singleUserLockCommandsTakeAnEnrollid() throws {
        #expect(try encoded("getuserlock", #"{"enrollid":1}"#) == #"{"cmd":"getuserlock","enrollid":1}"#)
        #expect(try encoded("deleteuserlock", #"{"enrollid":"1"}"#) == #"{"cmd":"deleteuserlock","enrollid":1}"#)
        #expect(try refusal("deleteuserlock", "{}")?.field == "enrollid")
    }

    @Test func theGetuserlockReplyTaggedWithCmdIsRead() throws {
        let text = #"{"cmd":"getuserlock","sn":"ABCD12345678","result":true,"enrollid":"1","weekzone":1,"#
            + #""group":"0","starttime":"2025-10-10 01:00:00","endtime":"2099-03-25 23:00:00"}"#
        let lock = UserLock(reply: try jsonObject(text))
        #expect(lock == UserLock(enrollid: 1, weekzone: 1, group: 0, starttime: "2025-10-10 01:00:00",
                                 endtime: "2099-03-25 23:00:00"))
        #expect(try normalized("getuserlock", text) == #"{"enrollid":1,"weekzone":1,"group":0,"#
            + #""starttime":"2025-10-10 01:00:00","endtime":"2099-03-25 23:00:00"}"#)
    }
}
