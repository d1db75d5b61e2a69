import CatracaCLI
import CatracaJSON
import Foundation
import Testing

/// The client and the whole runner against a real socket on 127.0.0.1.
struct APIClientTests {
    @Test func postSendsTokenAndJSONAndReadsTheResponse() throws {
        let server = try LoopbackServer(responses: [LoopbackServer.json(200, #"{"ok":true}"#)])
        let client = try APIClient(baseURL: server.url, token: "s3cret")
        let response = try client.post("/v1/terminals/AB/commands/gettime", body: ["x": 1])
        #expect(response.status == 200)
        #expect(response.json == ["ok": true])
        let request = try #require(server.requests.first)
        #expect(request.hasPrefix("POST /v1/terminals/AB/commands/gettime HTTP/1.1\r\n"))
        #expect(request.contains("Authorization: Bearer s3cret\r\n"))
        #expect(request.contains("Content-Length: 7\r\n"))
        #expect(request.hasSuffix("\r\n\r\n{\"x\":1}"))
    }

    @Test func aBodyWithoutLengthEndsWhenTheServerCloses() throws {
        let server = try LoopbackServer(responses: ["HTTP/1.1 401 Unauthorized\r\n\r\n{\"error\":{}}"])
        let response = try APIClient(baseURL: server.url, token: "t").get("/v1/status")
        #expect(response.status == 401)
        #expect(response.text == #"{"error":{}}"#)
    }

    @Test func aTruncatedBodyIsAnError() throws {
        let server = try LoopbackServer(responses: ["HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"])
        #expect(throws: APIClientError.self) { try APIClient(baseURL: server.url, token: "t").get("/v1/status") }
    }

    @Test func nothingListeningIsUnreachable() throws {
        let port = try LoopbackServer.closedPort()
        let client = try APIClient(baseURL: "http://127.0.0.1:\(port)", token: "t")
        #expect(throws: APIClientError.unreachable(address: "127.0.0.1:\(port)",
                                                   detail: "Connection refused (errno 111)")) {
            try client.get("/v1/status")
        }
    }

    @Test func onlyPlainHTTPAddressesAreAccepted() throws {
        #expect(throws: APIClientError.invalidBaseURL("https://x:1")) { try APIBaseURL(parsing: "https://x:1") }
        #expect(throws: APIClientError.invalidBaseURL("http://x")) { try APIBaseURL(parsing: "http://x") }
        #expect(try APIBaseURL(parsing: "http://[::1]:7793/").authority == "[::1]:7793")
        #expect(try APIBaseURL(listenAddress: "0.0.0.0:7793") == APIBaseURL(host: "127.0.0.1", port: 7793))
    }

    /// Runs the CLI with output captured.
    final class Capture: @unchecked Sendable {
        var output = ""
        var errors = ""
        var files: [String: [UInt8]] = [:]

        func runner(environment: [String: String] = [:]) -> CLIRunner {
            CLIRunner(environment: environment, standardOutput: { self.output += $0 },
                      standardError: { self.errors += $0 }, readFile: { self.files[$0] },
                      writeFile: { self.files[$0] = $1 })
        }
    }

    @Test func userSetSendsEachCallAndStopsAtARefusal() throws {
        let refusal = #"{"error":{"code":"terminal_refused","message":"terminal AB refused: no face","#
            + #""sn":"AB","reason":5,"reason_text":"no face found in the image","reply":{}}}"#
        let server = try LoopbackServer(responses: [
            LoopbackServer.json(200, #"{"sn":"AB","command":"setuserinfo","outcome":"replied","reply":{}}"#),
            LoopbackServer.json(422, refusal),
        ])
        let capture = Capture()
        capture.files["face.jpg"] = [1, 2, 3]
        let code = capture.runner().run(["terminal", "AB", "user", "set", "12", "--name", "Ana", "--card", "9",
                                         "--photo", "face.jpg", "--api", server.url, "--token", "t"])
        #expect(code == 3)
        #expect(capture.errors == "catraca: terminal AB refused: no face found in the image (reason 5)\n")
        #expect(capture.output == "setuserinfo done on AB\n")
        let requests = server.requests
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.hasPrefix("POST /v1/terminals/AB/commands/setuserinfo HTTP/1.1") })
        #expect(requests.last?.hasSuffix(#"{"enrollid":12,"name":"Ana","backupnum":50,"record":"AQID"}"#) == true)
    }

    @Test func tokenAndAddressComeFromTheEnvironmentAndJSONIsPrintedAsIs() throws {
        let body = #"{"sn":"AB","command":"gettime","outcome":"replied","reply":{"time":"2024-01-01 00:00:00"}}"#
        let server = try LoopbackServer(responses: [LoopbackServer.json(200, body)])
        let capture = Capture()
        let code = capture.runner(environment: ["CATRACA_API": server.url, "CATRACA_TOKEN": "envtoken"])
            .run(["terminal", "AB", "time", "--json", "--timeout", "7"])
        #expect(code == 0)
        #expect(capture.output == body + "\n")
        #expect(server.requests.first?.hasPrefix("POST /v1/terminals/AB/commands/gettime?timeout=7 ") == true)
        #expect(server.requests.first?.contains("Bearer envtoken") == true)
    }

    @Test func tokenFileBesideTheDatabaseIsUsedFromTheConfig() throws {
        let server = try LoopbackServer(responses: [LoopbackServer.json(200, #"{"daemon":{"pid":1}}"#)])
        let capture = Capture()
        capture.files["/x/catraca.json5"] = Array("""
            // comment
            { api: { listen: "127.0.0.1:\(server.port)" }, store: { path: "/data/catraca.db" }, terminals: {} }
            """.utf8)
        capture.files["/data/api-token"] = Array("filetoken\n".utf8)
        let code = capture.runner().run(["status", "--config", "/x/catraca.json5"])
        #expect(code == 0)
        #expect(capture.output == "daemon.pid:  1\n")
        #expect(server.requests.first?.contains("Bearer filetoken\r\n") == true)
    }

    @Test func fleetExitCodeIsTheHighestSeen() throws {
        let body = #"{"results":[{"sn":"A","ok":true,"outcome":"sent","reply":null},"#
            + #"{"sn":"B","ok":false,"error":{"code":"terminal_timeout","message":"terminal B did not answer"}}]}"#
        let server = try LoopbackServer(responses: [LoopbackServer.json(200, body)])
        let capture = Capture()
        let code = capture.runner().run(["terminals", "sync-time", "--api", server.url, "--token", "t"])
        #expect(code == 5)
        #expect(server.requests.first?.hasPrefix("POST /v1/terminals/commands/settime ") == true)
        #expect(capture.output.contains("B   terminal_timeout  terminal B did not answer [terminal_timeout]"))
    }

    @Test func recordsAllFollowsTheCursor() throws {
        let server = try LoopbackServer(responses: [
            LoopbackServer.json(200, #"{"records":[{"id":1,"sn":"A"}],"next":1}"#),
            LoopbackServer.json(200, #"{"records":[{"id":2,"sn":"A"}],"next":null}"#),
        ])
        let capture = Capture()
        let code = capture.runner().run(["records", "--all", "--from", "2024-01-01 10:00:00", "--json",
                                         "--api", server.url, "--token", "t"])
        #expect(code == 0)
        #expect(capture.output == #"{"records":[{"id":1,"sn":"A"},{"id":2,"sn":"A"}],"next":null}"# + "\n")
        #expect(server.requests.last?.hasPrefix("GET /v1/records?from=2024-01-01%2010%3A00%3A00&after=1 ") == true)
    }

    @Test func anOfflineTerminalExitsWithFour() throws {
        let body = #"{"error":{"code":"terminal_offline","message":"terminal AB is not connected"}}"#
        let server = try LoopbackServer(responses: [LoopbackServer.json(409, body)])
        let capture = Capture()
        #expect(capture.runner().run(["terminal", "AB", "reboot", "--api", server.url, "--token", "t"]) == 4)
        #expect(capture.errors == "catraca: terminal AB is not connected [terminal_offline]\n")
    }
}
