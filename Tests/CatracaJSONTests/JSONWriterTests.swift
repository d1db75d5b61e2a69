import Testing
@testable import CatracaJSON

@Suite struct JSONWriterTests {
    @Test func repliesBuiltFromLiteralsKeepTheirKeyOrder() {
        let reply: JSONValue = ["ret": "reg", "result": true, "cloudtime": "2023-12-23 13:49:30", "nosenduser": true]
        let expected = #"{"ret":"reg","result":true,"cloudtime":"2023-12-23 13:49:30","nosenduser":true}"#
        #expect(JSONWriter().text(reply) == expected)
    }

    @Test func stringsAreEscaped() {
        let value: JSONValue = .string("q\"b\\n\n\r\t\u{8}\u{C}\u{1}\u{1F}/é😀")
        #expect(JSONWriter().text(value) == #""q\"b\\n\n\r\t\b\f\u0001\u001f/é😀""#)
    }

    @Test func everyKindOfValueIsWritten() {
        let value: JSONValue = [1, -2, 1.5, "s", true, false, .null, [], ["k": []]]
        #expect(JSONWriter().text(value) == #"[1,-2,1.5,"s",true,false,null,[],{"k":[]}]"#)
    }

    @Test func nonFiniteDoublesBecomeNull() {
        #expect(JSONValue.double(.nan) == .null)
        #expect(JSONValue.double(.infinity) == .null)
        #expect(JSONValue.double(36.5) == .number(JSONNumber(text: "36.5")!))
    }

    @Test(arguments: [
        #"{"cmd":"sendlog","sn":"ABC","count":2,"logindex":"10","record":[{"enrollid":1,"temp":36.50}]}"#,
        #"[null,true,false,0,-0.0,1e-7,"\u0000\"\\\/é"]"#,
        #"{"":{"":[[],{}]},"😀":"\ud83d\ude00"}"#,
    ])
    func readingWhatWasWrittenGivesTheSameValue(text: String) throws {
        let value = try JSONReader.parse(text)
        let written = JSONWriter().bytes(value)
        #expect(try JSONReader().parse(written) == value)
    }

    @Test func compactTextRoundTripsByteForByte() throws {
        let text = #"{"ret":"sendlog","result":true,"count":"2","logindex":10,"cloudtime":"x","access":1,"message":""}"#
        #expect(JSONWriter().text(try JSONReader.parse(text)) == text)
    }

    @Test func descriptionIsTheJSONText() {
        let value: JSONValue = ["a": [1, "b"]]
        #expect(value.description == #"{"a":[1,"b"]}"#)
    }
}
