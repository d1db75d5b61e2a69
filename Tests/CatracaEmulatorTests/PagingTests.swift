import CatracaEmulator
import CatracaJSON
import Testing

@Suite struct PagingTests {
    @Test func aThousandUsersComeInPagesOfFortyInEnrollidOrder() {
        let harness = ResponderHarness(users: 1000)

        let (entries, pages) = harness.walk("getuserlist")

        #expect(pages == 25)
        #expect(entries.map { $0["enrollid"]?.int } == (1...1000).map { $0 })
        #expect(entries.allSatisfy { $0["backupnum"] == 11 }, "each seeded user holds a card")
        #expect(entries[0]["admin"] == 1)
    }

    @Test func theFirstPageSaysTheTotalAndItsSlice() {
        let harness = ResponderHarness(users: 100)

        let first = harness.send(#"{"cmd":"getuserlist","stn":true}"#)
        let second = harness.send(#"{"cmd":"getuserlist","stn":false}"#)

        #expect(first?["count"] == 100 && first?["from"] == 0 && first?["to"] == 39)
        #expect(second?["from"] == 40 && second?["to"] == 79)
    }

    @Test func aUserWithSeveralCredentialsIsListedOncePerCredential() {
        let harness = ResponderHarness()
        harness.send(#"{"cmd":"setuserinfo","enrollid":3,"pwd":12,"card":34}"#)
        harness.send(#"{"cmd":"setuserinfo","enrollid":4,"name":"nothing held"}"#)

        let reply = harness.send(#"{"cmd":"getuserlist","stn":true}"#)

        #expect(reply?["record"] == [
            ["enrollid": 3, "admin": 0, "backupnum": 10], ["enrollid": 3, "admin": 0, "backupnum": 11],
            ["enrollid": 4, "admin": 0],
        ])
    }

    @Test func emptyListingsGiveCountZero() {
        let harness = ResponderHarness()

        for command in ["getuserlist", "getnewlog", "getalllog"] {
            let reply = harness.send(#"{"cmd":"\#(command)","stn":true}"#)
            #expect(reply == ["ret": .string(command), "sn": "EMU1", "result": true, "count": 0, "from": 0, "to": 0,
                              "record": []])
        }
    }

    @Test func fiveThousandNewLogsComeOnceAndAreThenNoLongerNew() {
        let harness = ResponderHarness(users: 10, logs: 5000)

        let (entries, pages) = harness.walk("getnewlog")
        let again = harness.send(#"{"cmd":"getnewlog","stn":true}"#)

        #expect(pages == 250)
        #expect(entries.count == 5000)
        #expect(Set(entries.compactMap { $0["time"]?.string }).count == 5000, "every record distinct")
        #expect(entries.first?["time"] == "2023-12-01 08:00:00")
        #expect(harness.state.newLogCount == 0)
        #expect(again?["count"] == 0)
    }

    @Test func getnewlogMarksOnlyThePagesGiven() {
        let harness = ResponderHarness(users: 1, logs: 50)

        harness.send(#"{"cmd":"getnewlog","stn":true}"#)

        #expect(harness.state.newLogCount == 30)
    }

    @Test func getalllogFiltersByDateAndLeavesNewAlone() {
        let harness = ResponderHarness(users: 1, logs: 10)

        let all = harness.walk("getalllog", extra: #","from":"2023-12-01","to":"2023-12-01""#)
        let none = harness.send(#"{"cmd":"getalllog","stn":true,"from":"2023-12-02","to":"2023-12-31"}"#)
        let unbounded = harness.walk("getalllog").entries

        #expect(all.entries.count == 10)
        #expect(none?["count"] == 0)
        #expect(unbounded.count == 10)
        #expect(harness.state.newLogCount == 10)
        #expect(harness.send(#"{"cmd":"getalllog","stn":true,"from":"1 Dec"}"#)?["result"] == false)
    }

    @Test func pageSizesAreConfigurable() {
        let harness = ResponderHarness(users: 10, logs: 10, pageSizes: PageSizes(all: 3))

        #expect(harness.walk("getuserlist").pages == 4)
        #expect(harness.walk("getalllog").pages == 4)
    }

    @Test func aStnTrueStartsTheListingOver() {
        let harness = ResponderHarness(users: 100)
        harness.send(#"{"cmd":"getuserlist","stn":true}"#)
        harness.send(#"{"cmd":"getuserlist","stn":false}"#)

        let restart = harness.send(#"{"cmd":"getuserlist","stn":"true"}"#)

        #expect(restart?["from"] == 0)
    }

    @Test func pagesPastTheEndAreEmpty() {
        let harness = ResponderHarness(users: 3)
        harness.send(#"{"cmd":"getuserlist","stn":true}"#)

        let past = harness.send(#"{"cmd":"getuserlist","stn":false}"#)

        #expect(past?["record"] == [])
        #expect(past?["count"] == 3)
    }
}
