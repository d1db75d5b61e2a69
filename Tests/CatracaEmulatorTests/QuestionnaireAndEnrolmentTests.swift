import CatracaEmulator
import CatracaJSON
import Foundation
import Testing

@Suite struct QuestionnaireAndEnrolmentTests {
    @Test func theQuestionnaireIsStoredWithEitherSpellingAndReadBackInPages() {
        let harness = ResponderHarness(pageSizes: PageSizes(all: 3))

        let set = harness.send(#"""
            {"cmd":"setquestionnaire","tittle":"Proteina","errmsg":"Favor selecionar","radio":false,"optionflag":0,
             "usequestion":true,"useschedule":false,"card":0,"items":["Bife","Frango","Suina","Vegetariano"],
             "Schedules":["05:30-07:30*1","16:30-19:00*2"]}
            """#)
        let first = harness.send(#"{"cmd":"getquestionnaire","stn":"true"}"#)
        let (items, pages) = harness.walk("getquestionnaire", key: "items")

        #expect(set?["result"] == true)
        #expect(first?["title"] == "Proteina" && first?["usequestion"] == true)
        #expect(first?["schedules"] == ["05:30-07:30*1", "16:30-19:00*2"])
        #expect(first?["count"] == 4 && first?["from"] == 0 && first?["to"] == 2)
        #expect(items == ["Bife", "Frango", "Suina", "Vegetariano"])
        #expect(pages == 2)
    }

    @Test func tooManyItemsForTheKindAreRefused() {
        let harness = ResponderHarness()
        let nine = (1...9).map { "\"item \($0)\"" }.joined(separator: ",")

        let multiple = harness.send(#"{"cmd":"setquestionnaire","radio":true,"items":[\#(nine)]}"#)
        let single = harness.send(#"{"cmd":"setquestionnaire","radio":false,"items":[\#(nine)]}"#)

        #expect(multiple?["result"] == false)
        #expect(single?["result"] == true)
    }

    @Test func adduserIsBusyUntilCancelled() {
        let harness = ResponderHarness()

        let started = harness.send(#"{"cmd":"adduser","enrollid":5,"backupnum":50,"admin":0,"name":"Eva","flag":10}"#)
        let busy = harness.send(#"{"cmd":"adduser","enrollid":6,"backupnum":11,"admin":0,"name":"Ivo","flag":10}"#)
        let setDuringEnrolment = harness.send(#"{"cmd":"setuserinfo","enrollid":7,"name":"x"}"#)
        let cancelled = harness.send(#"{"cmd":"adduser","cancel":true}"#)
        let again = harness.send(#"{"cmd":"adduser","enrollid":6,"backupnum":11,"name":"Ivo"}"#)

        #expect(started == ["ret": "adduser", "sn": "EMU1", "result": true])
        #expect(busy == ["ret": "adduser", "sn": "EMU1", "result": false, "reason": 3, "mesg": "device is working"])
        #expect(setDuringEnrolment?["reason"] == 3)
        #expect(cancelled?["result"] == true)
        #expect(again?["result"] == true)
        #expect(harness.state.enrolment?.enrollid == 6)
        #expect(harness.state.users[5] == nil, "a cancelled enrolment leaves no user")
    }

    @Test func anEnrolmentCompletesOnItsOwnAfterItsTime() {
        let harness = ResponderHarness()
        harness.send(#"{"cmd":"adduser","enrollid":5,"backupnum":50,"admin":1,"name":"Eva","flag":10}"#)

        harness.now += 9
        let early = harness.responder.completeEnrolment(ifDueAt: harness.now)
        harness.now += 1
        let face = harness.send(#"{"cmd":"getuserinfo","enrollid":5,"backupnum":50}"#)

        #expect(early == false)
        #expect(face?["result"] == true && face?["name"] == "Eva" && face?["admin"] == 1)
        #expect(harness.state.enrolment == nil)
        #expect(harness.state.enrolmentsCompleted == 1)
    }

    @Test func adduserRefusesASlotThatCannotBeEnrolled() {
        let harness = ResponderHarness()

        #expect(harness.send(#"{"cmd":"adduser","enrollid":5,"backupnum":10}"#)?["reason"] == 1)
        #expect(harness.state.enrolment == nil)
    }
}
