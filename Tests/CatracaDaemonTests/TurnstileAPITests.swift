import CatracaCore
import CatracaHTTP
import CatracaJSON
import CatracaServer
import Foundation
import Testing
@testable import CatracaDaemon

/// `GET /v1/turnstiles`, `POST /v1/turnstiles/{name}/pulse`, `GET /v1/passages` and `/v1/status`'s turnstiles,
/// on a daemon whose turnstile `main` reads the simulated input.
@Suite(.serialized) final class TurnstileAPITests {
    let harness: DaemonTests.Harness
    let api: OperatorAPI
    static let token = "0123456789abcdef0123"

    init() throws {
        harness = try DaemonTests.Harness { configuration in
            var main = Configuration.Turnstile()
            main.entry = ["GATE2", "GATE1"]
            main.exit = ["OUT1"]
            main.gpio.chip = "simulated"
            configuration.turnstiles = ["main": main]
            configuration.passages.windowSeconds = 1
            configuration.passages.rotationGraceSeconds = 0.2
        }
        let loop = try #require(harness.daemon.loop)
        let storePath = harness.folder + "/store/catraca.db"
        let commands = OperatorCommands.protocolCommands(siteTime: SiteTime(), wallClock: { Date() })
        api = OperatorAPI(loop: loop, commander: ScriptedCommander(), turnstiles: harness.daemon.turnstiles,
                          reads: StoreReads(path: storePath, loop: loop), catalog: commands,
                          token: TurnstileAPITests.token, storePath: storePath) {
            OperatorAPI.DaemonFigures(unsavedRegistrations: 0, batchesInFlight: 0)
        }
    }

    deinit { harness.stop() }

    /// Sends one request through the API on the daemon's loop and waits for the answer.
    func call(_ method: String, _ target: String, body: String = "") throws -> (status: Int, body: JSONValue) {
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer \(TurnstileAPITests.token)")
        let request = HTTPRequest(head: HTTPRequestHead(method: method, target: target, headers: headers),
                                  body: Array(body.utf8))
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var response: HTTPResponse?
        harness.daemon.loop?.execute { [api] in
            api.handle(request) { answer in
                response = answer
                done.signal()
            }
        }
        guard done.wait(timeout: .now() + 10) == .success, let response else {
            throw OperatorAPITests.LoopbackFailure(description: "no answer to \(method) \(target)")
        }
        return (response.status, try JSONReader().parse(response.body))
    }

    /// Waits until `GET /v1/passages` lists `count` passages.
    func passages(count: Int) throws -> JSONValue {
        let deadline = Date().addingTimeInterval(10)
        var answer = try call("GET", "/v1/passages")
        while answer.body["passages"]?.array?.count ?? 0 < count, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            answer = try call("GET", "/v1/passages")
        }
        return answer.body
    }

    @Test func theTurnstilesAreListedWithTheirTerminalsAndInput() throws {
        let answer = try call("GET", "/v1/turnstiles")
        let status = try call("GET", "/v1/status")

        #expect(answer.status == 200)
        let expected: JSONValue = ["turnstiles": [[
            "name": "main", "in_direction": "A", "entry": ["GATE1", "GATE2"], "exit": ["OUT1"], "reports_turns": [],
            "input": "simulated", "simulated": true,
        ]]]
        #expect(answer.body == expected)
        #expect(status.body["turnstiles"] == [["name": "main", "input": "simulated", "simulated": true]])
    }

    @Test func aPulseTurnsTheTurnstileAndItsPassageIsListed() throws {
        let pulsed = try call("POST", "/v1/turnstiles/main/pulse", body: #"{"line": "exit-button", "ms": 120}"#)
        let defaulted = try call("POST", "/v1/turnstiles/main/pulse", body: #"{"line": "fire-in"}"#)

        #expect(pulsed.status == 200)
        #expect(pulsed.body == ["turnstile": "main", "line": "exit-button", "ms": 120, "turn": true])
        #expect(defaulted.body["ms"]?.int == 80)
        let listed = try passages(count: 2)
        let outcomes = (listed["passages"]?.array ?? []).map { [$0["outcome"]?.string, $0["direction"]?.string] }
        #expect(Set(outcomes) == [["unauthorised_rotation", "B"], ["unauthorised_rotation", "A"]])
        #expect(listed["next"] == .null)
    }

    @Test func aPulseTheFilterTakesForNoiseSaysSo() throws {
        let spike = try call("POST", "/v1/turnstiles/main/pulse", body: #"{"line": "fire-in", "ms": 5}"#)
        #expect(spike.status == 200)
        #expect(spike.body["turn"] == false)
        #expect(spike.body["note"]?.string?.contains("noise") == true)
    }

    @Test func passagesArePagedWithACursor() throws {
        _ = try call("POST", "/v1/turnstiles/main/pulse", body: #"{"line": "fire-in"}"#)
        _ = try call("POST", "/v1/turnstiles/main/pulse", body: #"{"line": "exit-button"}"#)
        let all = try passages(count: 2)
        let ids = (all["passages"]?.array ?? []).compactMap { $0["id"]?.int }
        #expect(ids.count == 2)

        let first = try call("GET", "/v1/passages?limit=1&turnstile=main")
        let second = try call("GET", "/v1/passages?limit=1&after=\(first.body["next"]?.int ?? -1)")
        let elsewhere = try call("GET", "/v1/passages?turnstile=side")

        #expect(first.body["passages"]?.array?.compactMap { $0["id"]?.int } == [ids[0]])
        #expect(first.body["next"]?.int == ids[0])
        #expect(second.body["passages"]?.array?.compactMap { $0["id"]?.int } == [ids[1]])
        #expect(second.body["next"] == .null)
        #expect(elsewhere.body["passages"] == [])
    }

    @Test func badPulsesAndUnknownTurnstilesAreTheContractsErrors() throws {
        let unknown = try call("POST", "/v1/turnstiles/side/pulse", body: #"{"line": "fire-in"}"#)
        let noLine = try call("POST", "/v1/turnstiles/main/pulse", body: "{}")
        let badLine = try call("POST", "/v1/turnstiles/main/pulse", body: #"{"line": "relay-2"}"#)
        let tooShort = try call("POST", "/v1/turnstiles/main/pulse", body: #"{"line": "fire-in", "ms": 0}"#)
        let tooLong = try call("POST", "/v1/turnstiles/main/pulse", body: #"{"line": "fire-in", "ms": 10001}"#)
        let asText = try call("POST", "/v1/turnstiles/main/pulse", body: #"{"line": "fire-in", "ms": "80"}"#)
        let extra = try call("POST", "/v1/turnstiles/main/pulse", body: #"{"line": "fire-in", "width": 80}"#)
        let badLimit = try call("GET", "/v1/passages?limit=0")
        let badFilter = try call("GET", "/v1/passages?sn=GATE1")

        #expect(unknown.status == 404)
        #expect(unknown.body["error"]?["code"]?.string == "turnstile_unknown")
        for answer in [noLine, badLine, tooShort, tooLong, asText, extra, badLimit, badFilter] {
            #expect(answer.status == 400)
            #expect(answer.body["error"]?["code"]?.string == "invalid_request")
        }
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try call("GET", "/v1/passages").body["passages"] == [], "no refused pulse reached the input")
    }
}
