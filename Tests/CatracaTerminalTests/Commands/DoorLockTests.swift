import CatracaJSON
import Testing
@testable import CatracaTerminal

@Suite struct DoorLockTests {
    @Test func setdevlockSendsTheTerminalsSpellings() throws {
        let params = #"{"opendelay":5,"doorsensor":1,"alarmdelay":0,"threat":0,"inputalarm":2,"antpass":0,"#
            + #""interlock":false,"multiopen":"2","tryalarm":3,"tamper":1,"wgformat":34,"wgoutput":0,"#
            + #""cardoutput":0,"access_times":0}"#
        #expect(try encoded("setdevlock", params) == #"{"cmd":"setdevlock","opendelay":5,"doorsensor":1,"#
            + #""alarmdelay":0,"threat":0,"inputalarm":2,"antpass":0,"interlock":0,"mutiopen":2,"tryalarm":3,"#
            + #""tamper":1,"wgformat":1,"wgoutput":0,"cardoutput":0,"access_times":0}"#)
        #expect(try encoded("setdevlock", #"{"wgformat":26}"#) == #"{"cmd":"setdevlock","wgformat":0}"#)
        #expect(try encoded("setdevlock", #"{"wgformat":1}"#) == #"{"cmd":"setdevlock","wgformat":1}"#)
    }

    @Test func theProtocolsTimeZoneExampleIsSentAsWritten() throws {
        let zones = #"{"dayzone":[{"day":[{"section":"07:00~08:30"},{"section":"12:45~13:15"},"#
            + #"{"section":"14:00~15:00"},{"section":"16:01~16:59"},{"section":"18:00~18:30"}]},"#
            + #"{"day":[{"section":"00:01~23:59"}]}],"#
            + #""weekzone":[{"week":[{"day":2},{"day":1},{"day":1},{"day":1},{"day":1},{"day":1},{"day":2}]}]}"#
        #expect(try encoded("setdevlock", zones) == #"{"cmd":"setdevlock","# + zones.dropFirst())
    }

    @Test(arguments: [
        ("{}", "params", "give at least one of opendelay"),
        (#"{"doorsensor":3}"#, "doorsensor", "3 is outside 0-2 (0 off, 1 normally closed, 2 normally open)"),
        (#"{"alarmdelay":256}"#, "alarmdelay", "256 is outside 0-255"),
        (#"{"threat":4}"#, "threat", "4 is outside 0-3"),
        (#"{"inputalarm":3}"#, "inputalarm", "3 is outside 0-2"),
        (#"{"antpass":3}"#, "antpass", "3 is outside 0-2"),
        (#"{"interlock":2}"#, "interlock", "2 is not 0 or 1"),
        (#"{"multiopen":5}"#, "multiopen", "5 is outside 0-4"),
        (#"{"tryalarm":11}"#, "tryalarm", "11 is outside 0-10"),
        (#"{"tamper":"on"}"#, "tamper", "is not 0 or 1"),
        (#"{"wgformat":32}"#, "wgformat", "32 is not a Wiegand format (26 or 34, or 0/1)"),
        (#"{"wgoutput":3}"#, "wgoutput", "3 is outside 0-2"),
        (#"{"cardoutput":2}"#, "cardoutput", "2 is not 0 or 1"),
        (#"{"opendelay":256}"#, "opendelay", "256 is outside 0-255"),
        (#"{"mutiopen":1}"#, "mutiopen", "write it multiopen; the daemon sends the terminal's own spelling"),
        (#"{"InputAlarm":1}"#, "InputAlarm", "write it inputalarm"),
    ])
    func setdevlockRefusesOutOfRangeValues(params: String, field: String, message: String) throws {
        let error = try #require(try refusal("setdevlock", params))
        #expect(error.field == field)
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test func getdevlockRepliesAreReadLeniently() throws {
        let reply = try jsonObject(#"{"ret":"getdevlock","sn":"ABCD12345678","result":true,"opendelay":"5","#
            + #""InputAlarm":1,"multiopen":0,"wgformat":26,"dayzone":[{"day":[{"section":"00:01~23:59"}]},"#
            + #"{"day":[{"section":"00:00~00:00"},{"section":"bad"}]}],"weekzone":[{"week":[{"day":2},{"day":"1"}]}]}"#)
        let lock = DeviceLock(reply: reply)
        #expect(lock.opendelay == 5)
        #expect(lock.inputalarm == 1)
        #expect(lock.wiegandBits == 26)
        #expect(lock.dayZones?.map(\.sections.count) == [1, 1])
        #expect(lock.weekZones?.first?.days == [2, 1])

        let normal = try normalized("getdevlock", JSONValue.object(reply).description)
        #expect(normal.hasPrefix(#"{"opendelay":5,"inputalarm":1,"multiopen":0,"wgformat":26,"dayzone":"#))
        #expect(normal.contains(#"{"section":"bad"}"#))
        #expect(normal.contains(#""weekzone":[{"week":[{"day":2},{"day":1}]}]"#))
        #expect(try normalized("getdevlock", #"{"mutiopen":"2"}"#) == #"{"multiopen":2}"#)
    }
}

@Suite struct TimeZonesTests {
    @Test(arguments: ["00:00~00:00", "00:01~23:59", "07:00~18:00", "12:00~12:00"])
    func validSectionsRoundTrip(text: String) throws {
        #expect(TimeSection(text: text)?.text == text)
    }

    @Test(arguments: [
        "24:00~24:00", "07:60~08:00", "7:00~08:00", "18:00~07:00", "07:00-08:00", "07:00~", "", "ab:cd~ef:gh",
    ])
    func invalidSectionsAreRefused(text: String) throws {
        #expect(TimeSection(text: text) == nil)
        let error = try #require(try refusal("setdevlock", #"{"dayzone":[{"day":[{"section":"\#(text)"}]}]}"#))
        #expect(error.field == "dayzone[0].day[0].section")
    }

    @Test func atMostEightDayZonesOfFiveSections() throws {
        let day = #"{"day":[{"section":"07:00~18:00"}]}"#
        let eight = Array(repeating: day, count: 8).joined(separator: ",")
        #expect(try refusal("setdevlock", #"{"dayzone":[\#(eight)]}"#) == nil)
        #expect(try refusal("setdevlock", #"{"dayzone":[\#(eight),\#(day)]}"#)
                == CommandValidationError(field: "dayzone", message: "has 9 day profiles; at most 8"))

        let section = #"{"section":"07:00~08:00"}"#
        let six = Array(repeating: section, count: 6).joined(separator: ",")
        #expect(try refusal("setdevlock", #"{"dayzone":[{"day":[\#(six)]}]}"#)
                == CommandValidationError(field: "dayzone[0].day", message: "has 6 sections; 1 to 5 are allowed"))
        #expect(try refusal("setdevlock", #"{"dayzone":[{"day":[]}]}"#)?.field == "dayzone[0].day")
    }

    @Test func weekZonesNameSevenExistingDays() throws {
        func week(_ days: [Int]) -> String {
            #"{"week":["# + days.map { #"{"day":\#($0)}"# }.joined(separator: ",") + "]}"
        }
        let twoDays = #""dayzone":[{"day":[{"section":"07:00~18:00"}]},{"day":[{"section":"00:00~00:00"}]}]"#
        #expect(try refusal("setdevlock", "{\(twoDays),\"weekzone\":[\(week([2, 1, 1, 1, 1, 1, 2]))]}") == nil)
        #expect(try refusal("setdevlock", "{\(twoDays),\"weekzone\":[\(week([2, 1, 1, 3, 1, 1, 2]))]}")
                == CommandValidationError(field: "weekzone[0].week[3].day",
                                          message: "3 is outside 1-2 (a day profile of the 2 sent in dayzone)"))
        #expect(try refusal("setdevlock", "{\(twoDays),\"weekzone\":[\(week([0, 1, 1, 1, 1, 1, 1]))]}")?.field
                == "weekzone[0].week[0].day")

        // Without dayzone the terminal's own profiles are named: 0-8.
        #expect(try refusal("setdevlock", "{\"weekzone\":[\(week([8, 0, 1, 1, 1, 1, 1]))]}") == nil)
        #expect(try refusal("setdevlock", "{\"weekzone\":[\(week([9, 0, 1, 1, 1, 1, 1]))]}")?.field
                == "weekzone[0].week[0].day")

        #expect(try refusal("setdevlock", "{\"weekzone\":[\(week([1]))]}")
                == CommandValidationError(field: "weekzone[0].week",
                                          message: "has 1 days; a week profile names 7, Sunday to Saturday"))
        let nine = Array(repeating: week([1, 1, 1, 1, 1, 1, 1]), count: 9).joined(separator: ",")
        #expect(try refusal("setdevlock", "{\"weekzone\":[\(nine)]}")?.message == "has 9 week profiles; at most 8")
    }
}
