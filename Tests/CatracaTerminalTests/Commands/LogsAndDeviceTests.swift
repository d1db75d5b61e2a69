import CatracaJSON
import Testing
@testable import CatracaTerminal

@Suite struct LogsAndDeviceTests {
    @Test func getalllogTakesTwoDatesInOrder() throws {
        #expect(try encoded("getalllog", #"{"from":"2023-12-01","to":"2023-12-24"}"#)
                == #"{"cmd":"getalllog","from":"2023-12-01","to":"2023-12-24"}"#)
        #expect(try encoded("getalllog", #"{"from":"2024-1-5","to":"2024-01-05"}"#)
                == #"{"cmd":"getalllog","from":"2024-01-05","to":"2024-01-05"}"#)
        #expect(try refusal("getalllog", #"{"from":"2024-01-02","to":"2024-01-01"}"#)
                == CommandValidationError(field: "to", message: "2024-01-01 is before from 2024-01-02"))
        #expect(try refusal("getalllog", #"{"from":"2024-02-30","to":"2024-03-01"}"#)?.field == "from")
        #expect(try refusal("getalllog", #"{"from":"2024-01-01 00:00:00","to":"2024-03-01"}"#)?.field == "from")
        #expect(try refusal("getalllog", #"{"from":"2024-01-01"}"#)?.message
                == "is required (the last day, YYYY-MM-DD)")
    }

    @Test func settimeNeedsTheSiteTime() throws {
        #expect(try encoded("settime", #"{"cloudtime":"2023-12-23 13:49:30"}"#)
                == #"{"cmd":"settime","cloudtime":"2023-12-23 13:49:30"}"#)
        let error = try #require(try refusal("settime", "{}"))
        #expect(error.field == "cloudtime")
        #expect(error.message.contains("the daemon fills in the site's time"))
        #expect(try refusal("settime", #"{"cloudtime":"2023-12-23 25:00:00"}"#)?.field == "cloudtime")
    }

    @Test func opendoorNamesADoor() throws {
        #expect(try encoded("opendoor", #"{"doornum":"1"}"#) == #"{"cmd":"opendoor","doornum":1}"#)
        #expect(try refusal("opendoor", #"{"doornum":0}"#)?.message == "0 is outside 1-255 (the door number)")
        #expect(try refusal("opendoor", "{}")?.field == "doornum")
    }

    @Test func setdevinfoSendsTheGivenParameters() throws {
        let params = #"{"deviceid":1,"language":0,"volume":5,"screensaver":30,"verifymode":0,"sleep":false,"#
            + #""usefpnum":3,"loghint":1000,"reverifytime":0}"#
        #expect(try encoded("setdevinfo", params) == #"{"cmd":"setdevinfo","deviceid":1,"language":0,"volume":5,"#
            + #""screensaver":30,"verifymode":0,"sleep":0,"usefpnum":3,"loghint":1000,"reverifytime":0}"#)
        #expect(try encoded("setdevinfo", #"{"server_verify":true}"#) == #"{"cmd":"setdevinfo","server_verify":1}"#)
    }

    @Test(arguments: [
        ("{}", "params", "give at least one of deviceid"),
        (#"{"screensaver":0}"#, "screensaver", "0 is outside 1-255 (seconds before the screen saver)"),
        (#"{"screensaver":256}"#, "screensaver", "256 is outside 1-255"),
        (#"{"verifymode":25}"#, "verifymode", "25 is not a verify mode"),
        (#"{"usefpnum":11}"#, "usefpnum", "11 is outside 0-10"),
        (#"{"server_verify":"maybe"}"#, "server_verify", "is not 0 or 1"),
        (#"{"userfpnum":3}"#, "userfpnum", "is not a field of this command"),
    ])
    func setdevinfoRefusesOutOfRangeValues(params: String, field: String, message: String) throws {
        let error = try #require(try refusal("setdevinfo", params))
        #expect(error.field == field)
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test func verifyModesAreTheProtocolsList() throws {
        let accepted = (0...30).filter { mode in
            (try? refusal("setuserinfo", #"{"enrollid":1,"verifymode":\#(mode)}"#)) == .some(nil)
        }
        #expect(accepted == [0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 16, 19, 20, 21, 22, 23, 24])
    }

    @Test func deviceRepliesAreReadLeniently() throws {
        let info = DeviceInfo(reply: try jsonObject(#"{"ret":"getdevinfo","sn":"ABCD12345678","result":true,"#
            + #""deviceid":"1","language":0,"volume":0,"screensaver":0,"verifymode":0,"sleep":"0","userfpnum":3,"#
            + #""loghint":1000,"reverifytime":"x"}"#))
        #expect(info.deviceid == 1)
        #expect(info.sleep == 0)
        #expect(info.userfpnum == 3)
        #expect(info.reverifytime == nil)
        #expect(DeviceTime(reply: try jsonObject(#"{"ret":"gettime","sn":"A","time":"2025-10-10 08:00:00"}"#)).time
                == "2025-10-10 08:00:00")
        #expect(try normalized("gettime", #"{"ret":"gettime","sn":"ABCD12345678","time":"2025-10-10 08:00:00"}"#)
                == #"{"time":"2025-10-10 08:00:00"}"#)
        #expect(try normalized("getdevinfo", #"{"ret":"getdevinfo","result":true,"deviceid":"1","userfpnum":"3"}"#)
                == #"{"deviceid":1,"userfpnum":3}"#)
    }
}
