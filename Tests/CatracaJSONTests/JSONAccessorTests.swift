import Testing
@testable import CatracaJSON

@Suite struct JSONAccessorTests {
    private func value(_ text: String) throws -> JSONValue { try JSONReader.parse(text) }

    @Test func integersComeFromNumbersStringsAndWholeDoubles() throws {
        #expect(try value("12").int64 == 12)
        #expect(try value(#""12""#).int64 == 12)
        #expect(try value(#"" 12 ""#).int64 == 12)
        #expect(try value("12.0").int64 == 12)
        #expect(try value("1e3").int64 == 1000)
        #expect(try value(#""-7""#).int == -7)
        #expect(try value("9223372036854775807").int64 == Int64.max)
    }

    @Test func notIntegersGiveNil() throws {
        #expect(try value("12.5").int64 == nil)
        #expect(try value(#""12a""#).int64 == nil)
        #expect(try value(#""0x10""#).int64 == nil)
        #expect(try value(#""""#).int64 == nil)
        #expect(try value("true").int64 == nil)
        #expect(try value("null").int64 == nil)
        #expect(try value("1e30").int64 == nil)
        #expect(try value("99999999999999999999").int64 == nil)
    }

    @Test func doublesComeFromNumbersAndNumericStrings() throws {
        #expect(try value("36.5").double == 36.5)
        #expect(try value(#""36.5""#).double == 36.5)
        #expect(try value(#""inf""#).double == nil)
        #expect(try value(#""nan""#).double == nil)
    }

    @Test func stringsComeFromStringsAndNumberText() throws {
        #expect(try value(#""ABC""#).string == "ABC")
        #expect(try value("1.50").string == "1.50")
        #expect(try value("true").string == nil)
    }

    @Test func booleansComeInFirmwareSpellings() throws {
        #expect(try value("true").bool == true)
        #expect(try value("false").bool == false)
        #expect(try value("1").bool == true)
        #expect(try value("0").bool == false)
        #expect(try value(#""true""#).bool == true)
        #expect(try value(#""False""#).bool == false)
        #expect(try value(#""1""#).bool == true)
        #expect(try value(#""0""#).bool == false)
        #expect(try value("2").bool == nil)
        #expect(try value(#""yes""#).bool == nil)
    }

    @Test func containersAndKeys() throws {
        let object = try value(#"{"Schedules":["05:30-07:30*1"],"inputalarm":1,"InputAlarm":2}"#)
        #expect(object["Schedules"]?.array?.count == 1)
        #expect(object.object?.value(forKeyIgnoringCase: "schedules") == ["05:30-07:30*1"])
        #expect(object.object?.value(forKeyIgnoringCase: "InputAlarm") == 2)
        #expect(object.object?.value(forKeyIgnoringCase: "INPUTALARM") == 1)
        #expect(object["missing"] == nil)
        #expect(try value("[1]")["key"] == nil)
    }

    @Test func objectMembersCanBeSetAndRemoved() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = 3
        object["c"] = 4
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object["a"] == 3)
    }
}

@Suite struct ZeroPaddedNumberTests {
    @Test(arguments: [("042", 42), ("-007", -7), ("000", 0), (" 0012 ", 12)] as [(String, Int64)])
    func numbersSentAsZeroPaddedStringsAreRead(text: String, value: Int64) {
        #expect(JSONValue.string(text).int64 == value)
    }

    @Test func zeroPaddedDecimalsKeepTheirFraction() {
        #expect(JSONValue.string("007.50").double == 7.5)
        #expect(JSONValue.string("00.5").double == 0.5)
    }
}

@Suite struct IntegerEdgeTests {
    @Test(arguments: ["-9223372036854775809", "9223372036854775808", "1e-400", "0.0000000000000000000001", "1e300"])
    func numbersThatAreNotExactly64BitIntegersGiveNil(text: String) throws {
        #expect(try #require(JSONNumber(text: text)).int64 == nil)
    }

    @Test(arguments: [("12.0", 12), ("1e3", 1_000), ("-0.0", 0), ("0e5", 0), ("9223372036854775807", Int64.max)]
          as [(String, Int64)])
    func wholeNumbersInAnyFormAreRead(text: String, value: Int64) throws {
        #expect(try #require(JSONNumber(text: text)).int64 == value)
    }
}
