import CatracaJSON
import Foundation
import Testing
@testable import CatracaTerminal

@Suite struct UsersTests {
    @Test func setuserinfoEncodesInTheVendorsOrderWithNumbersForCardAndPassword() throws {
        let params = #"{"record":"/9j/","backupnum":"50","name":"Fulano","enrollid":"1","verifymode":8,"#
            + #""department":"RH","card":"123456","pwd":1234,"enable":true,"shiftid":0,"zoneid":0,"groupid":2,"#
            + #""access_times":0,"postid":0,"starttime":"2023-03-02 00:00:00","endtime":"2023-03-30 00:00:00"}"#
        #expect(try encoded("setuserinfo", params) == #"{"cmd":"setuserinfo","enrollid":1,"name":"Fulano","#
            + #""verifymode":8,"department":"RH","card":123456,"pwd":1234,"enable":1,"shiftid":0,"zoneid":0,"#
            + #""groupid":2,"access_times":0,"postid":0,"starttime":"2023-03-02 00:00:00","#
            + #""endtime":"2023-03-30 00:00:00","backupnum":50,"record":"/9j/"}"#)
    }

    @Test func setuserinfoCredentialsTakeTheirOwnForm() throws {
        #expect(try encoded("setuserinfo", #"{"enrollid":7,"backupnum":11,"record":"0042"}"#)
                == #"{"cmd":"setuserinfo","enrollid":7,"backupnum":11,"record":42}"#)
        #expect(try encoded("setuserinfo", #"{"enrollid":7,"backupnum":10,"record":1234}"#)
                == #"{"cmd":"setuserinfo","enrollid":7,"backupnum":10,"record":1234}"#)
        #expect(try encoded("setuserinfo", #"{"enrollid":7,"backupnum":3,"record":"QUJD\nREVG"}"#)
                == #"{"cmd":"setuserinfo","enrollid":7,"backupnum":3,"record":"QUJDREVG"}"#)
    }

    @Test(arguments: [
        (#"{"name":"Ana"}"#, "enrollid", "is required"),
        (#"{"enrollid":0}"#, "enrollid", "0 is not a user number (a whole number 1-99999999)"),
        (#"{"enrollid":100000000}"#, "enrollid", "100000000 is not a user number (a whole number 1-99999999)"),
        (#"{"enrollid":"abc"}"#, "enrollid", "\"abc\" is not a whole number"),
        (#"{"enrollid":true}"#, "enrollid", "true is not a whole number"),
        (#"{"enrollid":1.5}"#, "enrollid", "1.5 is not a whole number"),
        (#"{"enrollid":1,"name":"Aaaaaaaaaabbbbbbbbbbccccc"}"#, "name", "has 25 characters; at most 24 are allowed"),
        (#"{"enrollid":1,"name":5}"#, "name", "5 is not a string"),
        (#"{"enrollid":1,"verifymode":6}"#, "verifymode", "6 is not a verify mode"),
        (#"{"enrollid":1,"enable":2}"#, "enable", "2 is not 0 or 1 (true and false are accepted)"),
        (#"{"enrollid":1,"card":"12a"}"#, "card", "\"12a\" is not a number of digits"),
        (#"{"enrollid":1,"card":-5}"#, "card", "-5 is not a number of digits"),
        (#"{"enrollid":1,"pwd":"123456789"}"#, "pwd", "has 9 digits; at most 8"),
        (#"{"enrollid":1,"starttime":"2023-02-30 00:00:00"}"#, "starttime", "is not a date and time"),
        (#"{"enrollid":1,"starttime":"2024-01-02 00:00:00","endtime":"2024-01-01 00:00:00"}"#, "endtime",
         "2024-01-01 00:00:00 is before starttime 2024-01-02 00:00:00"),
        (#"{"enrollid":1,"backupnum":12,"record":"x"}"#, "backupnum",
         "12 is not a credential slot (0-9 fingerprint, 10 password, 11 card, 50 face)"),
        (#"{"enrollid":1,"backupnum":13,"record":"x"}"#, "backupnum", "13 is not a credential slot"),
        (#"{"enrollid":1,"backupnum":50}"#, "record", "is required with backupnum 50"),
        (#"{"enrollid":1,"record":"QUJD"}"#, "record", "needs backupnum to say which credential it is"),
        (#"{"enrollid":1,"backupnum":50,"record":"not base64!"}"#, "record", "is not valid base64"),
        (#"{"enrollid":1,"backupnum":50,"record":"data:image/jpeg;base64,QUJD"}"#, "record",
         "after the comma of the data: URL"),
        (#"{"enrollid":1,"backupnum":50,"record":""}"#, "record", "is empty"),
        (#"{"enrollid":1,"departmant":"RH"}"#, "departmant", "write it department"),
        (#"{"enrollid":1,"photo":"QUJD"}"#, "photo", "is not a field of this command (fields: enrollid, name,"),
    ])
    func setuserinfoRefusesWhatTheTerminalCannotTake(params: String, field: String, message: String) throws {
        let error = try #require(try refusal("setuserinfo", params))
        #expect(error.field == field)
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test func aPhotoIsHeldToTheLimitDecoded() throws {
        let limit = CommandLimits.maxPhotoBytes
        #expect(limit == 2 * 1024 * 1024)
        let fits = Data(count: limit).base64EncodedString()
        #expect(try refusal("setuserinfo", #"{"enrollid":1,"backupnum":50,"record":"\#(fits)"}"#) == nil)

        let tooLarge = Data(count: limit + 1).base64EncodedString()
        let error = try #require(try refusal("setuserinfo", #"{"enrollid":1,"backupnum":50,"record":"\#(tooLarge)"}"#))
        #expect(error.field == "record")
        #expect(error.message == "decodes to \(limit + 1) bytes; at most \(limit) are allowed (scale the image down)")
    }

    @Test func aNameOf24CharactersIsTaken() throws {
        let longestName = #"{"enrollid":1,"name":"Ááááááááááááááááááááááá1"}"#
        #expect(try refusal("setuserinfo", longestName) == nil)
    }

    @Test func getuserinfoTakesOptionalSlot() throws {
        #expect(try encoded("getuserinfo", #"{"enrollid":1}"#) == #"{"cmd":"getuserinfo","enrollid":1}"#)
        #expect(try encoded("getuserinfo", #"{"enrollid":"1","backupnum":"50"}"#)
                == #"{"cmd":"getuserinfo","enrollid":1,"backupnum":50}"#)
        #expect(try refusal("getuserinfo", #"{"enrollid":1,"backupnum":12}"#)?.field == "backupnum")
        #expect(try refusal("getuserinfo", #"{}"#)?.field == "enrollid")
    }

    @Test func deleteuserRemovesTheWholeUserUnlessASlotIsNamed() throws {
        #expect(try encoded("deleteuser", #"{"enrollid":1}"#) == #"{"cmd":"deleteuser","enrollid":1,"backupnum":12}"#)
        #expect(try encoded("deleteuser", #"{"enrollid":1,"backupnum":50}"#)
                == #"{"cmd":"deleteuser","enrollid":1,"backupnum":50}"#)
        let error = try #require(try refusal("deleteuser", #"{"enrollid":1,"backupnum":40}"#))
        #expect(error.description == "backupnum: 40 is not a credential slot "
                + "(0-9 fingerprint, 10 password, 11 card, 12 whole user, 50 face)")
    }

    @Test func enableuserTakesZeroOneOrBooleans() throws {
        #expect(try encoded("enableuser", #"{"enrollid":1,"enflag":false}"#)
                == #"{"cmd":"enableuser","enrollid":1,"enflag":0}"#)
        #expect(try encoded("enableuser", #"{"enrollid":1,"enflag":"1"}"#)
                == #"{"cmd":"enableuser","enrollid":1,"enflag":1}"#)
        #expect(try refusal("enableuser", #"{"enrollid":1,"enflag":3}"#)?.field == "enflag")
        #expect(try refusal("enableuser", #"{"enrollid":1}"#)?.message == "is required (1 enable, 0 disable)")
    }

    @Test func usernamesAreSetInOneListWithTheirCount() throws {
        #expect(try encoded("getusername", #"{"enrollid":3}"#) == #"{"cmd":"getusername","enrollid":3}"#)
        let names = #"{"record":[{"enrollid":1,"name":"Fulano"},{"enrollid":"2","name":"Ciclano"}]}"#
        #expect(try encoded("setusername", names) == #"{"cmd":"setusername","count":2,"#
            + #""record":[{"enrollid":1,"name":"Fulano"},{"enrollid":2,"name":"Ciclano"}]}"#)
        #expect(try refusal("setusername", #"{"record":[]}"#)?.field == "record")
        #expect(try refusal("setusername", #"{"record":[{"enrollid":1}]}"#)?.field == "record[0].name")
        #expect(try refusal("setusername", #"{"record":[{"enrollid":1,"name":"A"},3]}"#)
                == CommandValidationError(field: "record[1]", message: "3 is not an object"))
        #expect(try refusal("setusername", #"{"record":[{"enrollid":1,"name":"A","admin":0}]}"#)?.field
                == "record[0].admin")
    }
}
