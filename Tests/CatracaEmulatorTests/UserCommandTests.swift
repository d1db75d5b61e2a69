import CatracaEmulator
import CatracaJSON
import Foundation
import Testing

@Suite struct UserCommandTests {
    @Test func setuserinfoCreatesTheUserAndGetuserinfoReadsItBack() {
        let harness = ResponderHarness()
        let photo = jpegPhoto()

        let set = harness.send(#"""
            {"cmd":"setuserinfo","enrollid":"7","name":"Ana","verifymode":8,"department":"RH","card":123456,
             "pwd":"4321","enable":1,"groupid":2,"zoneid":3,"starttime":"2024-01-01 00:00:00",
             "endtime":"2024-12-31 23:59:59","backupnum":50,"record":"data:image/jpeg;base64,\#(photo)"}
            """#)
        let info = harness.send(#"{"cmd":"getuserinfo","enrollid":7}"#)
        let face = harness.send(#"{"cmd":"getuserinfo","enrollid":7,"backupnum":50}"#)
        let card = harness.send(#"{"cmd":"getuserinfo","enrollid":7,"backupnum":11}"#)

        #expect(set == ["ret": "setuserinfo", "sn": "EMU1", "result": true])
        #expect(info == ["ret": "getuserinfo", "sn": "EMU1", "result": true, "enrollid": 7, "name": "Ana",
                         "department": "RH", "admin": 0, "pwd": 4321, "enable": 1, "groupid": 2])
        #expect(face?["record"] == .string(photo))
        #expect(face?["backupnum"] == 50)
        #expect(card?["record"] == 123456)
        let user = harness.state.users[7]!
        #expect(user.verifymode == 8 && user.zoneid == 3 && user.endtime == "2024-12-31 23:59:59")
        #expect(user.credentialSlots == [10, 11, 50])
    }

    @Test func setuserinfoUpdatesOnlyTheFieldsSentAndZeroCardRemovesTheCard() {
        let harness = ResponderHarness(users: 3)

        harness.send(#"{"cmd":"setuserinfo","enrollid":2,"name":"Bia","card":0}"#)

        let user = harness.state.users[2]!
        #expect(user.name == "Bia")
        #expect(user.department == TerminalSeed.user(2).department)
        #expect(user.card == nil)
    }

    @Test(arguments: [
        ("not base64 at all!", 2),
        ("", 2),
        (Data("GIF89a no face here".utf8).base64EncodedString(), 5),
        (jpegPhoto(bytes: 2_000_000), 1),
        (jpegPhoto(containing: "catraca-emulator:reason=6"), 6),
        (jpegPhoto(containing: "catraca-emulator:reason=12"), 12),
    ])
    func setuserinfoRefusesPhotosAsTheReasonTableSays(photo: String, reason: Int) {
        let harness = ResponderHarness()

        let reply = harness.send(#"{"cmd":"setuserinfo","enrollid":1,"name":"X","backupnum":50,"record":"\#(photo)"}"#)

        #expect(reply?["result"] == false)
        #expect(reply?["reason"]?.int == reason)
        #expect(harness.state.users.isEmpty, "a refused setuserinfo changes nothing")
    }

    @Test func aPNGPhotoIsAccepted() {
        let harness = ResponderHarness()
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]).base64EncodedString()

        let reply = harness.send(#"{"cmd":"setuserinfo","enrollid":1,"backupnum":50,"record":"\#(png)"}"#)

        #expect(reply?["result"] == true)
    }

    @Test func setuserinfoRefusesMalformedFieldsWithReasonTwo() {
        let harness = ResponderHarness()

        #expect(harness.send(#"{"cmd":"setuserinfo","name":"no id"}"#)?["reason"] == 2)
        #expect(harness.send(#"{"cmd":"setuserinfo","enrollid":1,"verifymode":6}"#)?["reason"] == 2)
        #expect(harness.send(#"{"cmd":"setuserinfo","enrollid":1,"starttime":"2024-01-01"}"#)?["reason"] == 2)
        #expect(harness.send(#"{"cmd":"setuserinfo","enrollid":1,"backupnum":13,"record":"x"}"#)?["reason"] == 2)
        #expect(harness.state.users.isEmpty)
    }

    @Test func unknownUsersAreRefusedWithReasonOne() {
        let harness = ResponderHarness(users: 2)

        for command in [#"{"cmd":"getuserinfo","enrollid":9}"#, #"{"cmd":"getusername","enrollid":9}"#,
                        #"{"cmd":"deleteuser","enrollid":9,"backupnum":12}"#,
                        #"{"cmd":"enableuser","enrollid":9,"enflag":0}"#,
                        #"{"cmd":"getuserinfo","enrollid":1,"backupnum":50}"#] {
            let reply = harness.send(command)
            #expect(reply?["result"] == false, "\(command)")
            #expect(reply?["reason"] == 1, "\(command)")
        }
    }

    @Test func deleteuserRemovesAUserOrOneCredential() {
        let harness = ResponderHarness(users: 3)
        harness.send(#"{"cmd":"setuserlock","count":1,"record":[{"enrollid":1,"weekzone":1,"group":1}]}"#)

        #expect(harness.send(#"{"cmd":"deleteuser","enrollid":2,"backupnum":11}"#)?["result"] == true)
        #expect(harness.send(#"{"cmd":"deleteuser","enrollid":1,"backupnum":12}"#)?["result"] == true)

        #expect(harness.state.users[2]?.card == nil)
        #expect(harness.state.users[1] == nil)
        #expect(harness.state.userLocks.isEmpty, "the user's lock goes with the user")
    }

    @Test func namesAreReadAndSetInBulk() {
        let harness = ResponderHarness(users: 2)

        let set = harness.send(
            #"{"cmd":"setusername","count":2,"record":[{"enrollid":1,"name":"Ana"},{"enrollid":5,"name":"Caio"}]}"#)

        #expect(set?["result"] == true)
        #expect(harness.send(#"{"cmd":"getusername","enrollid":1}"#)?["record"] == "Ana")
        #expect(harness.state.users[5]?.name == "Caio")
    }

    @Test func enableuserDisablesAndEnables() {
        let harness = ResponderHarness(users: 1)

        harness.send(#"{"cmd":"enableuser","enrollid":1,"enflag":0}"#)
        let disabled = harness.state.users[1]!.enabled
        harness.send(#"{"cmd":"enableuser","enrollid":1,"enflag":"1"}"#)

        #expect(disabled == false)
        #expect(harness.state.users[1]!.enabled)
        #expect(harness.send(#"{"cmd":"enableuser","enrollid":1,"enflag":2}"#)?["result"] == false)
    }

    @Test func cleanuserAndCleanadminEmptyWhatTheyName() {
        let harness = ResponderHarness(users: 5)

        let cleanadmin = harness.send(#"{"cmd":"cleanadmin"}"#)
        let adminsLeft = harness.state.users.values.filter { $0.admin != 0 }.count
        harness.send(#"{"cmd":"cleanuser"}"#)

        #expect(cleanadmin == ["ret": "cleanadmin", "sn": "EMU1", "result": true])
        #expect(adminsLeft == 0)
        #expect(harness.state.users.isEmpty)
        #expect(harness.send(#"{"cmd":"getuserlist","stn":true}"#)?["count"] == 0)
    }
}
