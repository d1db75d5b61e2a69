import CatracaCLI
import CatracaJSON
import Foundation
import Testing

/// `catraca gpio pulse`, `catraca turnstiles` and `catraca passages` against a scripted API on 127.0.0.1.
struct TurnstileVerbTests {
    typealias Capture = APIClientTests.Capture

    static let oneTurnstile = #"{"turnstiles":[{"name":"main","in_direction":"A","entry":["E1","E2"],"#
        + #""exit":[],"input":"simulated","simulated":true}]}"#

    static func passage(id: Int, outcome: String) -> String {
        #"{"id":\#(id),"turnstile":"main","outcome":"\#(outcome)","direction":"A","side":"entry","#
            + #""turned_against_grant":false,"grant":"record","sn":"E1","enrollid":7,"record_id":3,"#
            + #""record_time":"2024-01-01 08:00:00","turned_at":"2024-01-01T11:00:02.100Z","#
            + #""closed_at":"2024-01-01T11:00:02.200Z"}"#
    }

    @Test func aPulseWithoutATurnstileGoesToTheOnlyOne() throws {
        let server = try LoopbackServer(responses: [
            LoopbackServer.json(200, TurnstileVerbTests.oneTurnstile),
            LoopbackServer.json(200, #"{"turnstile":"main","line":"fire-in","ms":40}"#),
        ])
        let capture = Capture()
        let code = capture.runner().run(["gpio", "pulse", "fire-in", "--ms", "40", "--api", server.url, "--token", "t"])

        #expect(code == 0)
        #expect(capture.output == "pulsed fire-in for 40 ms on turnstile main\n")
        let requests = server.requests
        #expect(requests.first?.hasPrefix("GET /v1/turnstiles HTTP/1.1") == true)
        #expect(requests.last?.hasPrefix("POST /v1/turnstiles/main/pulse HTTP/1.1") == true)
        #expect(requests.last?.hasSuffix(#"{"line":"fire-in","ms":40}"#) == true)
    }

    @Test func withTwoTurnstilesAPulseMustNameOne() throws {
        let two = #"{"turnstiles":[{"name":"main"},{"name":"side"}]}"#
        let server = try LoopbackServer(responses: [LoopbackServer.json(200, two)])
        let capture = Capture()
        let code = capture.runner().run(["gpio", "pulse", "exit-button", "--api", server.url, "--token", "t"])

        #expect(code == 2)
        #expect(capture.errors.contains("the site has 2 turnstiles (main, side); name one with --turnstile"))
        #expect(server.requests.count == 1)
    }

    @Test func aTurnstileOnRealGPIOExitsAsUnavailable() throws {
        let refusal = #"{"error":{"code":"turnstile_not_simulated","message":"turnstile main reads real GPIO"}}"#
        let server = try LoopbackServer(responses: [LoopbackServer.json(409, refusal)])
        let capture = Capture()
        let code = capture.runner().run(["gpio", "pulse", "fire-in", "--turnstile", "main", "--api", server.url,
                                         "--token", "t"])

        #expect(code == ExitCode.terminalUnavailable)
        #expect(capture.errors.contains("turnstile main reads real GPIO"))
    }

    @Test func badPulseCommandLinesAreUsageErrorsWithoutACall() throws {
        let lines = [["gpio", "pulse", "relay-2"], ["gpio", "pulse"], ["gpio", "blink", "fire-in"],
                     ["gpio", "pulse", "fire-in", "--ms", "0"], ["gpio", "pulse", "fire-in", "--ms", "10001"],
                     ["turnstiles", "main"], ["passages", "main"]]
        for line in lines {
            let capture = Capture()
            let code = capture.runner().run(line + ["--api", "http://127.0.0.1:1", "--token", "t"])
            #expect(code == 2, "\(line)")
            #expect(capture.errors.hasPrefix("catraca: "), "\(line)")
        }
    }

    @Test func turnstilesAreATable() throws {
        let server = try LoopbackServer(responses: [LoopbackServer.json(200, TurnstileVerbTests.oneTurnstile)])
        let capture = Capture()
        let code = capture.runner().run(["turnstiles", "--api", server.url, "--token", "t"])

        #expect(code == 0)
        #expect(capture.output == """
            NAME  IN  ENTRY  EXIT  INPUT
            main  A   E1,E2  -     simulated
            1 turnstiles

            """)
    }

    @Test func passagesAllFollowsTheCursorAndPrintsOneTable() throws {
        let server = try LoopbackServer(responses: [
            LoopbackServer.json(200, #"{"passages":[\#(TurnstileVerbTests.passage(id: 4, outcome: "turned_a"))],"#
                                + #""next":4}"#),
            LoopbackServer.json(200, #"{"passages":[\#(TurnstileVerbTests.passage(id: 9, outcome: "not_turned"))],"#
                                + #""next":null}"#),
        ])
        let capture = Capture()
        let code = capture.runner().run(["passages", "--turnstile", "main", "--limit", "1", "--all",
                                         "--api", server.url, "--token", "t"])

        #expect(code == 0)
        let requests = server.requests
        #expect(requests.first?.hasPrefix("GET /v1/passages?turnstile=main&limit=1 HTTP/1.1") == true)
        #expect(requests.last?.hasPrefix("GET /v1/passages?turnstile=main&limit=1&after=4 HTTP/1.1") == true)
        let lines = capture.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == [
            "ID", "TURNSTILE", "OUTCOME", "DIRECTION", "SIDE", "SN", "ENROLLID", "RECORD", "TIME", "TURNED", "AT",
            "CLOSED", "AT",
        ])
        #expect(lines[1].hasPrefix("4   main       turned_a    A          entry  E1  7         2024-01-01 08:00:00"))
        #expect(lines[2].hasPrefix("9   main       not_turned"))
        #expect(lines.last == "2 passages")
    }

    @Test func passagesWithJSONPrintTheAPIsAnswer() throws {
        let page = #"{"passages":[],"next":null}"#
        let server = try LoopbackServer(responses: [LoopbackServer.json(200, page)])
        let capture = Capture()
        let code = capture.runner().run(["passages", "--json", "--api", server.url, "--token", "t"])

        #expect(code == 0)
        #expect(capture.output == page + "\n")
    }
}
