import CatracaJSON
import Testing
@testable import CatracaTerminal

@Suite struct QuestionnaireTests {
    @Test func setquestionnaireSendsTheVendorsSpellings() throws {
        let params = #"{"title":"Proteina","errmsg":"Favor selecionar","radio":true,"optionflag":0,"#
            + #""usequestion":1,"useschedule":false,"card":0,"items":["Bife","Frango","Bisteca Suina","Vegetariano"],"#
            + #""schedules":["05:30-07:30*1","16:30-19:00*2"]}"#
        #expect(try encoded("setquestionnaire", params) == #"{"cmd":"setquestionnaire","tittle":"Proteina","#
            + #""errmsg":"Favor selecionar","radio":true,"optionflag":0,"usequestion":true,"useschedule":false,"#
            + #""card":0,"items":["Bife","Frango","Bisteca Suina","Vegetariano"],"#
            + #""Schedules":["05:30-07:30*1","16:30-19:00*2"]}"#)
    }

    @Test func itemLimitsFollowTheChoiceMode() throws {
        func items(_ count: Int) -> String {
            "[" + (1...count).map { "\"item \($0)\"" }.joined(separator: ",") + "]"
        }
        #expect(try refusal("setquestionnaire", #"{"radio":true,"items":\#(items(8))}"#) == nil)
        #expect(try refusal("setquestionnaire", #"{"radio":true,"items":\#(items(9))}"#)?.message
                == "has 9 items; at most 8 (multiple choice (radio true))")
        #expect(try refusal("setquestionnaire", #"{"radio":false,"items":\#(items(16))}"#) == nil)
        #expect(try refusal("setquestionnaire", #"{"radio":false,"items":\#(items(17))}"#)?.field == "items")
        #expect(try refusal("setquestionnaire", #"{"items":\#(items(9))}"#)?.message.contains("send radio false")
                == true)
        #expect(try refusal("setquestionnaire", #"{"items":["a",""]}"#)?.field == "items[1]")
    }

    @Test(arguments: ["05:30-07:30*1", "00:00-23:59*16"])
    func validSchedulesAreTaken(schedule: String) throws {
        #expect(try refusal("setquestionnaire", #"{"schedules":["\#(schedule)"]}"#) == nil)
    }

    @Test(arguments: [
        "05:30-07:30", "05:30~07:30*1", "07:30-05:30*1", "05:30-07:30*0", "05:30-07:30*17", "5:30-07:30*1",
        "05:30-07:30*x",
    ])
    func invalidSchedulesAreRefused(schedule: String) throws {
        let error = try #require(try refusal("setquestionnaire", #"{"schedules":["\#(schedule)"]}"#))
        #expect(error.field == "schedules[0]")
    }

    @Test func vendorSpellingsAndEmptyParamsAreRefused() throws {
        #expect(try refusal("setquestionnaire", #"{"tittle":"x"}"#)?.message.contains("write it title") == true)
        #expect(try refusal("setquestionnaire", #"{"Schedules":[]}"#)?.message.contains("write it schedules") == true)
        #expect(try refusal("setquestionnaire", "{}")?.field == "params")
        #expect(try refusal("setquestionnaire", #"{"radio":"sometimes"}"#)?.field == "radio")
    }

    @Test func theReplyIsReadWithVendorSpellings() throws {
        let text = #"{"ret":"getquestionnaire","sn":"ABCD12345678","result":true,"tittle":"Proteina","#
            + #""errmsg":"Favor selecionar","radio":"true","optionflag":0,"usequestion":1,"useschedule":false,"#
            + #""card":"0","items":["Bife","Frango"],"Schedules":["05:30-07:30*1"]}"#
        let questionnaire = Questionnaire(reply: try jsonObject(text))
        #expect(questionnaire.title == "Proteina")
        #expect(questionnaire.radio == true)
        #expect(questionnaire.usequestion == true)
        #expect(questionnaire.card == 0)
        #expect(questionnaire.schedules == ["05:30-07:30*1"])

        let normal = try normalized("getquestionnaire", text)
        #expect(normal == #"{"title":"Proteina","errmsg":"Favor selecionar","radio":true,"optionflag":0,"#
            + #""usequestion":true,"useschedule":false,"card":0,"items":["Bife","Frango"],"#
            + #""schedules":["05:30-07:30*1"]}"#)
        #expect(try normalized("getquestionnaire", normal) == normal)
    }
}
