import CatracaCore
import CatracaHTTP
import CatracaJSON
import CatracaServer
import CatracaStore
@testable import CatracaTerminal
import Foundation
import Testing
@testable import CatracaDaemon

/// A commander that answers as terminals would: `ONLINE1` and `ONLINE2` are connected, `KNOWN1` is known
/// but offline, anything else never registered.
final class ScriptedCommander: TerminalCommander {
    var executed: [(command: TerminalCommand, sn: String, timeout: TimeSpan?)] = []
    var connectedSerialNumbers = ["ONLINE1", "ONLINE2"]
    /// The reply each terminal gives, by serial number; absent means it times out.
    var replies: [String: Result<CommandOutcome, CommandFailure>] = [:]

    /// While set, commands to connected terminals stay queued (they never finish) and get tickets.
    var holds = false
    var cancelled: [CommandTicket] = []

    func execute(_ command: TerminalCommand, sn: String, replyTimeout: TimeSpan?,
                 completion: @escaping (Result<CommandOutcome, CommandFailure>) -> Void) -> CommandTicket? {
        executed.append((command, sn, replyTimeout))
        if holds && connectedSerialNumbers.contains(sn) {
            return CommandTicket(sn: sn, runner: 1, ticket: CommandQueue.Ticket(rawValue: UInt64(executed.count)))
        }
        if sn == "KNOWN1" { completion(.failure(.terminalOffline(sn: sn))); return nil }
        guard connectedSerialNumbers.contains(sn) else { completion(.failure(.terminalUnknown(sn: sn))); return nil }
        completion(replies[sn] ?? .failure(.timeout(sn: sn, seconds: replyTimeout?.seconds ?? 20)))
        return nil
    }

    func cancel(_ ticket: CommandTicket) { cancelled.append(ticket) }

    func queuedCommandCount(sn: String) -> Int { sn == "ONLINE1" ? 2 : 0 }
}

@Suite(.serialized) final class OperatorAPITests {
    let folder = NSTemporaryDirectory() + "catraca-api-test-\(UUID().uuidString)"
    let loop: EventLoop
    let commander = ScriptedCommander()
    let api: OperatorAPI
    static let token = "0123456789abcdef0123"

    init() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let store = try RecordStore(path: folder + "/catraca.db")
        let records = (1...3).map { index in
            AccessRecord(identity: RecordIdentity(sn: "ONLINE1", enrollid: Int64(index % 2),
                                                  time: "2024-01-3\(index) 08:00:00", mode: 8, inOut: 0, event: 0),
                         verifyMode: 1, temperature: 36.5)
        }
        _ = try store.commit([
            .batch(RecordBatch(id: 1, sn: "ONLINE1", records: records, quarantined: [], receivedAt: Date())),
            .registration(TerminalRegistration(sn: "KNOWN1", devinfoJSON: #"{"modelname":"EF-1"}"#,
                                               address: "192.168.1.9", seenAt: Date())),
            .registration(TerminalRegistration(sn: "ONLINE1", devinfoJSON: nil, address: "192.168.1.8",
                                               seenAt: Date())),
        ])
        store.close()

        loop = try EventLoop()
        let commands = OperatorCommands.protocolCommands(siteTime: SiteTime(), wallClock: { Date() })
        api = OperatorAPI(loop: loop, commander: commander, reads: StoreReads(path: folder + "/catraca.db", loop: loop),
                          catalog: commands, token: OperatorAPITests.token, storePath: folder + "/catraca.db") {
            OperatorAPI.DaemonFigures(unsavedRegistrations: 1, batchesInFlight: 0)
        }
        let loop = self.loop
        Thread { loop.run() }.start()
    }

    deinit {
        loop.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    struct Answer {
        var status: Int
        var body: JSONValue
    }

    /// Sends one request through the API on its loop and waits for the answer.
    func call(_ method: String, _ target: String, body: String = "", token: String? = OperatorAPITests.token)
        throws -> Answer {
        var headers = HTTPHeaders()
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        let request = HTTPRequest(head: HTTPRequestHead(method: method, target: target, headers: headers),
                                  body: Array(body.utf8))
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var response: HTTPResponse?
        loop.execute { [api] in
            api.handle(request) { answer in
                response = answer
                done.signal()
            }
        }
        guard done.wait(timeout: .now() + 10) == .success, let response else {
            throw LoopbackFailure(description: "no answer to \(method) \(target)")
        }
        #expect(response.headers["Content-Type"] == "application/json")
        return Answer(status: response.status, body: try JSONReader().parse(response.body))
    }

    struct LoopbackFailure: Error, CustomStringConvertible {
        var description: String
    }

    @Test func everyCallWithoutTheRightTokenIs401() throws {
        let missing = try call("GET", "/v1/status", token: nil)
        let wrong = try call("GET", "/v1/status", token: "0123456789abcdef012")
        let prefixed = try call("GET", "/v1/status", token: OperatorAPITests.token + "x")

        for answer in [missing, wrong, prefixed] {
            #expect(answer.status == 401)
            #expect(answer.body["error"]?["code"]?.string == "unauthorized")
        }
    }

    @Test func statusCountsTheStoreAndTheTerminals() throws {
        let answer = try call("GET", "/v1/status")

        #expect(answer.status == 200)
        #expect(answer.body["daemon"]?["version"]?.string == CatracaVersion.current)
        #expect(answer.body["store"]?["records"]?.int == 3)
        #expect(answer.body["store"]?["quarantined"]?.int == 0)
        #expect(answer.body["store"]?["unsaved_registrations"]?.int == 1)
        #expect(answer.body["terminals"]?["connected"]?.int == 2)
        #expect(answer.body["terminals"]?["known"]?.int == 3, "KNOWN1, ONLINE1 stored; ONLINE2 connected only")
    }

    @Test func terminalsJoinTheStoreWithTheConnections() throws {
        let all = try call("GET", "/v1/terminals")
        let one = try call("GET", "/v1/terminals/KNOWN1")
        let none = try call("GET", "/v1/terminals/NOBODY")

        let entries = try #require(all.body["terminals"]?.array)
        #expect(entries.map { $0["sn"]?.string } == ["KNOWN1", "ONLINE1", "ONLINE2"])
        #expect(entries.map { $0["connected"]?.bool } == [false, true, true])
        #expect(entries[1]["queued_commands"]?.int == 2)
        #expect(one.body["devinfo"]?["modelname"]?.string == "EF-1")
        #expect(one.body["address"]?.string == "192.168.1.9")
        #expect(none.status == 404)
        #expect(none.body["error"]?["code"]?.string == "terminal_unknown")
    }

    @Test func aCommandIsBuiltFromItsParamsAndTheReplyNormalized() throws {
        commander.replies["ONLINE1"] = .success(.replied(["ret": "getuserinfo", "result": true, "enrollid": "12",
                                                           "departmant": "Sales"]))
        let answer = try call("POST", "/v1/terminals/ONLINE1/commands/getuserinfo?timeout=2.5",
                              body: #"{"enrollid": "12", "backupnum": 50}"#)

        #expect(answer.status == 200)
        #expect(answer.body["outcome"]?.string == "replied")
        #expect(answer.body["command"]?.string == "getuserinfo")
        #expect(answer.body["reply"]?["department"]?.string == "Sales")
        #expect(answer.body["reply"]?["ret"] == nil)
        let sent = try #require(commander.executed.last)
        #expect(sent.command.fields["enrollid"]?.int == 12)
        #expect(sent.timeout == .seconds(2.5))
    }

    @Test func aCommandWithNoReplyExpectedIsSent() throws {
        commander.replies["ONLINE1"] = .success(.sent)
        let answer = try call("POST", "/v1/terminals/ONLINE1/commands/reboot")

        #expect(answer.body["outcome"]?.string == "sent")
        #expect(answer.body["reply"] == .null)
    }

    @Test func failuresAreTheContractsErrors() throws {
        commander.replies["ONLINE1"] = .failure(.refused(sn: "ONLINE1", reason: 2, text: "no face in the photo",
                                                         reply: ["ret": "setuserinfo", "result": false, "reson": 2]))
        let refused = try call("POST", "/v1/terminals/ONLINE1/commands/getdevinfo")
        let offline = try call("POST", "/v1/terminals/KNOWN1/commands/getdevinfo")
        let unknown = try call("POST", "/v1/terminals/NOBODY/commands/getdevinfo")
        let timedOut = try call("POST", "/v1/terminals/ONLINE2/commands/getdevinfo?timeout=4")

        #expect(refused.status == 422)
        #expect(refused.body["error"]?["reason"]?.int == 2)
        #expect(refused.body["error"]?["reason_text"]?.string == "no face in the photo")
        #expect(refused.body["error"]?["reply"]?["reason"]?.int == 2)
        #expect(offline.status == 409)
        #expect(offline.body["error"]?["code"]?.string == "terminal_offline")
        #expect(unknown.status == 404)
        #expect(unknown.body["error"]?["code"]?.string == "terminal_unknown")
        #expect(timedOut.status == 504)
        #expect(timedOut.body["error"]?["timeout_seconds"]?.double == 4)
    }

    @Test func badInputIsRefusedBeforeAnythingIsSent() throws {
        let invalid = try call("POST", "/v1/terminals/ONLINE1/commands/getuserinfo",
                               body: #"{"enrollid": 1, "backupnum": 13}"#)
        let unknownCommand = try call("POST", "/v1/terminals/ONLINE1/commands/fly")
        let notJSON = try call("POST", "/v1/terminals/ONLINE1/commands/getdevinfo", body: "{nope")
        let notObject = try call("POST", "/v1/terminals/ONLINE1/commands/getdevinfo", body: "[1]")
        let badTimeout = try call("POST", "/v1/terminals/ONLINE1/commands/getdevinfo?timeout=-1")
        let noRoute = try call("DELETE", "/v1/terminals/ONLINE1")

        #expect(invalid.status == 400)
        #expect(invalid.body["error"]?["code"]?.string == "invalid_command")
        #expect(invalid.body["error"]?["field"]?.string == "backupnum")
        #expect(unknownCommand.body["error"]?["code"]?.string == "unknown_command")
        #expect([notJSON, notObject, badTimeout].allSatisfy { $0.body["error"]?["code"]?.string == "invalid_request" })
        #expect(noRoute.status == 404)
        #expect(noRoute.body["error"]?["code"]?.string == "not_found")
        #expect(commander.executed.isEmpty)
    }

    @Test func aBroadcastGoesToEveryConnectedTerminalAndReportsEach() throws {
        commander.replies["ONLINE1"] = .success(.replied(["ret": "gettime", "result": true,
                                                           "time": "2024-01-01 10:00:00"]))
        let answer = try call("POST", "/v1/terminals/commands/gettime")

        let results = try #require(answer.body["results"]?.array)
        #expect(answer.status == 200)
        #expect(results.map { $0["sn"]?.string } == ["ONLINE1", "ONLINE2"])
        #expect(results[0]["ok"]?.bool == true)
        #expect(results[0]["outcome"]?.string == "replied")
        #expect(results[1]["ok"]?.bool == false)
        #expect(results[1]["error"]?["code"]?.string == "terminal_timeout")
    }

    @Test func rawSendsTheMessageAsGivenAndReturnsTheReplyAsItCame() throws {
        commander.replies["ONLINE1"] = .success(.replied(["ret": "getfoo", "result": true, "Tittle": "x"]))
        let answer = try call("POST", "/v1/terminals/ONLINE1/raw",
                              body: #"{"message": {"cmd": "getfoo", "a": 1}, "expect_reply": true}"#)
        let missing = try call("POST", "/v1/terminals/ONLINE1/raw", body: #"{"expect_reply": false}"#)

        #expect(answer.status == 200)
        #expect(answer.body["command"]?.string == "getfoo")
        #expect(answer.body["reply"]?["Tittle"]?.string == "x")
        #expect(commander.executed.last?.command.message() == ["cmd": "getfoo", "a": 1])
        #expect(missing.status == 400)
    }

    @Test func recordsArePagedWithACursorAndFiltered() throws {
        let first = try call("GET", "/v1/records?limit=2")
        let next = try #require(first.body["next"]?.int)
        let second = try call("GET", "/v1/records?limit=2&after=\(next)")
        let filtered = try call("GET", "/v1/records?enrollid=1&from=2024-01-31&to=2024-01-31&sn=ONLINE1")
        let badTime = try call("GET", "/v1/records?to=tomorrow")
        let badLimit = try call("GET", "/v1/records?limit=1001")
        let misspelt = try call("GET", "/v1/records?snn=X")

        #expect(first.body["records"]?.array?.count == 2)
        #expect(second.body["records"]?.array?.count == 1)
        #expect(second.body["next"] == .null)
        let record = try #require(filtered.body["records"]?.array?.first)
        #expect(filtered.body["records"]?.array?.count == 1)
        #expect(record["time"]?.string == "2024-01-31 08:00:00")
        #expect(record["temp"]?.double == 36.5)
        #expect(record["has_photo"]?.bool == false)
        #expect([badTime, badLimit, misspelt].allSatisfy { $0.status == 400 })
    }
}

/// The HTTP server's own refusals as the API answers them.
@Suite struct ServerRefusalCodeTests {
    @Test(arguments: [(503, "server_busy"), (408, "request_timeout"), (413, "body_too_large"),
                      (431, "headers_too_large"), (400, "invalid_request"), (505, "invalid_request")])
    func eachRefusalHasItsCode(_ status: Int, _ code: String) {
        let error = APIError.serverRefusal(status: status, message: "why")
        #expect(error.status == status)
        #expect(error.code == code)
    }
}

/// The head check and the withdrawal of commands whose caller has gone, on the API without a status page.
extension OperatorAPITests {
    private func head(_ method: String, _ target: String, token: String?) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        return HTTPRequestHead(method: method, target: target, headers: headers)
    }

    @Test func theHeadCheckReadsBodiesOnlyWithTheToken() throws {
        let peer = SocketAddress(host: "127.0.0.1", port: 40000)
        let cases: [(HTTPRequestHead, Bool)] = [
            (head("POST", "/v1/terminals/ONLINE1/raw", token: OperatorAPITests.token), true),
            (head("POST", "/v1/terminals/ONLINE1/raw", token: nil), false),
            (head("POST", "/v1/terminals/ONLINE1/raw", token: "wrong"), false),
            // Without a status page there is no public route.
            (head("POST", "/login", token: nil), false),
        ]
        for (requestHead, readsBody) in cases {
            switch api.checkHead(requestHead, peer: peer) {
            case .read(let limit, let authorized):
                #expect(readsBody && authorized && limit == nil, "\(requestHead.target)")
            case .refuse(let response):
                #expect(!readsBody && response.status == 401, "\(requestHead.target)")
            }
        }
    }

    /// Runs `target` with a caller that leaves before any answer; returns what the commander cancelled.
    private func leaveWhileQueued(_ target: String) throws -> [CommandTicket] {
        commander.holds = true
        let request = HTTPRequest(head: head("POST", target, token: OperatorAPITests.token), body: [])
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var answered = false
        nonisolated(unsafe) var cancelled: [CommandTicket] = []
        loop.execute { [api, commander] in
            let caller = CallerPresence()
            api.handle(request, caller: caller) { _ in answered = true }
            caller.callerLeft()
            cancelled = commander.cancelled
            done.signal()
        }
        guard done.wait(timeout: .now() + 10) == .success else { throw LoopbackFailure(description: "loop stuck") }
        #expect(!answered)
        return cancelled
    }

    @Test func aCommandIsWithdrawnWhenItsCallerLeaves() throws {
        let cancelled = try leaveWhileQueued("/v1/terminals/ONLINE1/commands/gettime")
        #expect(cancelled.map(\.sn) == ["ONLINE1"])
    }

    @Test func aBroadcastWithdrawsEveryTerminalsCommandWhenItsCallerLeaves() throws {
        let cancelled = try leaveWhileQueued("/v1/terminals/commands/gettime")
        #expect(cancelled.map(\.sn).sorted() == ["ONLINE1", "ONLINE2"])
    }
}
