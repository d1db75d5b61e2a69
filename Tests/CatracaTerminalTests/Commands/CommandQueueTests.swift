import CatracaCore
import CatracaJSON
import Foundation
import Testing
@testable import CatracaTerminal

/// A queue for terminal ABCD on a fake clock, with the decoded messages it sends.
final class QueueHarness {
    let clock = ManualTimeSource(wallClock: Date(timeIntervalSince1970: 1_703_350_170))
    let queue: CommandQueue
    var sent: [JSONObject] = []
    var finished: [CommandQueue.Ticket: Result<CommandOutcome, CommandFailure>] = [:]
    var logPages: [[JSONValue]] = []

    init(configuration: CommandQueueConfiguration = CommandQueueConfiguration(
        replyTimeout: .seconds(20), unansweredWait: .seconds(3), maxQueued: 4, maxPages: 50)) {
        queue = CommandQueue(sn: "ABCD", configuration: configuration, timeSource: clock,
                             logger: Logger(label: "test", level: .debug, sink: MemoryLogSink()))
    }

    @discardableResult
    func enqueue(_ command: TerminalCommand, timeout: TimeSpan? = nil) -> CommandQueue.Ticket {
        let (ticket, effects) = queue.enqueue(command, replyTimeout: timeout)
        take(effects)
        return ticket
    }

    /// Delivers a terminal message; false when the queue said it answers nothing.
    @discardableResult
    func reply(_ text: String) -> Bool {
        let message = try! TerminalMessage.decode(Array(text.utf8))
        guard let effects = queue.receive(message) else { return false }
        take(effects)
        return true
    }

    func advance(_ span: TimeSpan) {
        clock.advance(by: span)
        take(queue.expire())
    }

    func take(_ effects: [CommandQueue.Effect]) {
        for effect in effects {
            switch effect {
            case .send(let bytes): sent.append(try! JSONReader().parse(bytes).object!)
            case .logPage(_, let entries): logPages.append(entries)
            case .finish(let ticket, let result): finished[ticket] = result
            }
        }
    }

    var lastSentName: String? { sent.last?["cmd"]?.string }
}

private let getUserInfo = TerminalCommand(name: "getuserinfo", fields: ["enrollid": 1])
private let getTime = TerminalCommand(name: "gettime")
private let userList = TerminalCommand(name: "getuserlist", paging: .users)
private let newLogs = TerminalCommand(name: "getnewlog", paging: .logs)
private let questionnaire = TerminalCommand(name: "getquestionnaire", paging: .questionnaire)

@Suite struct CommandQueueTests {
    @Test func oneCommandIsOutstandingAndTheNextWaitsForItsReply() {
        let harness = QueueHarness()
        let first = harness.enqueue(getUserInfo)
        let second = harness.enqueue(getTime)
        #expect(harness.sent.count == 1)
        #expect(harness.queue.count == 2)

        #expect(harness.reply(#"{"ret":"getuserinfo","result":true,"enrollid":1,"name":"Ana"}"#))
        #expect(harness.finished[first] == .success(.replied(
            ["ret": "getuserinfo", "result": true, "enrollid": 1, "name": "Ana"])))
        #expect(harness.lastSentName == "gettime")

        harness.reply(#"{"ret":"gettime","result":true,"time":"2024-01-01 00:00:00"}"#)
        #expect(harness.finished[second] != nil)
        #expect(harness.queue.count == 0)
    }

    @Test func twoCallersOfTheSameCommandEachGetTheirOwnReply() {
        let harness = QueueHarness()
        let ana = harness.enqueue(TerminalCommand(name: "getusername", fields: ["enrollid": 1]))
        let bruno = harness.enqueue(TerminalCommand(name: "getusername", fields: ["enrollid": 2]))
        harness.reply(#"{"ret":"getusername","result":true,"record":"Ana"}"#)
        #expect(harness.sent.last?["enrollid"] == 2)
        harness.reply(#"{"ret":"getusername","result":true,"record":"Bruno"}"#)
        #expect(harness.finished[ana] == .success(.replied(["ret": "getusername", "result": true, "record": "Ana"])))
        let brunosReply: JSONObject = ["ret": "getusername", "result": true, "record": "Bruno"]
        #expect(harness.finished[bruno] == .success(.replied(brunosReply)))
    }

    @Test func aReplyTaggedCmdAnswersTheCommand() {
        let harness = QueueHarness()
        let ticket = harness.enqueue(TerminalCommand(name: "getuserlock", fields: ["enrollid": 3]))
        #expect(harness.reply(#"{"cmd":"getuserlock","result":true,"enrollid":3,"weekzone":1}"#))
        #expect(harness.finished[ticket] != nil)
    }

    @Test func aReplyToNothingWaitingIsNotTaken() {
        let harness = QueueHarness()
        #expect(!harness.reply(#"{"ret":"getuserinfo","result":true}"#))
        harness.enqueue(getTime)
        #expect(!harness.reply(#"{"ret":"getuserinfo","result":true}"#))
        #expect(harness.queue.count == 1)
    }

    @Test func aRefusalCarriesTheReasonInWords() {
        let harness = QueueHarness()
        let ticket = harness.enqueue(TerminalCommand(name: "setuserinfo", fields: ["enrollid": 1]))
        harness.reply(#"{"ret":"setuserinfo","result":false,"reason":5}"#)
        guard case .failure(.refused(let sn, let reason, let text, _))? = harness.finished[ticket] else {
            Issue.record("expected a refusal, got \(String(describing: harness.finished[ticket]))")
            return
        }
        #expect(sn == "ABCD")
        #expect(reason == 5)
        #expect(!text.isEmpty)
    }

    @Test func aCommandTimesOutAndTheNextOneStarts() {
        let harness = QueueHarness()
        let first = harness.enqueue(getUserInfo)
        harness.enqueue(getTime)
        #expect(harness.queue.nextDeadline == harness.clock.now + .seconds(20))
        harness.advance(.seconds(19))
        #expect(harness.finished[first] == nil)
        harness.advance(.seconds(1))
        #expect(harness.finished[first] == .failure(.timeout(sn: "ABCD", seconds: 20)))
        #expect(harness.lastSentName == "gettime")
    }

    @Test func aLateReplyIsNotTakenForTheNextCommandOfTheSameName() {
        let harness = QueueHarness()
        let first = harness.enqueue(getUserInfo, timeout: .seconds(5))
        let second = harness.enqueue(TerminalCommand(name: "getuserinfo", fields: ["enrollid": 2]))
        harness.advance(.seconds(5))
        #expect(harness.finished[first] == .failure(.timeout(sn: "ABCD", seconds: 5)))
        #expect(harness.sent.count == 1, "held back while the first one's reply may still come")

        #expect(harness.reply(#"{"ret":"getuserinfo","result":true,"enrollid":1}"#))
        #expect(harness.finished[second] == nil, "the late reply was dropped, not given to the second caller")
        #expect(harness.sent.last?["enrollid"] == 2)
        harness.reply(#"{"ret":"getuserinfo","result":true,"enrollid":2}"#)
        #expect(harness.finished[second] == .success(.replied(["ret": "getuserinfo", "result": true, "enrollid": 2])))
    }

    @Test func aCommandHeldBackForALateReplyGoesWhenTheGraceEnds() {
        let harness = QueueHarness()
        harness.enqueue(getUserInfo, timeout: .seconds(5))
        harness.enqueue(getUserInfo)
        harness.advance(.seconds(5))
        #expect(harness.queue.nextDeadline == harness.clock.now + harness.queue.lateReplyGrace)
        harness.advance(harness.queue.lateReplyGrace)
        #expect(harness.sent.count == 2)
    }

    @Test func rebootExpectsNoReply() {
        let harness = QueueHarness()
        let ticket = harness.enqueue(TerminalCommand(name: "reboot", expectation: .none))
        #expect(harness.finished[ticket] == .success(.sent))
        #expect(harness.queue.count == 0)
        #expect(harness.queue.nextDeadline == nil)
    }

    @Test func anUndocumentedReplyIsUsedWhenItComesAndOtherwiseTheCommandCountsAsSent() {
        let harness = QueueHarness()
        let openDoor = TerminalCommand(name: "opendoor", fields: ["doornum": 1], expectation: .replyIfAny)
        let answered = harness.enqueue(openDoor)
        harness.reply(#"{"ret":"opendoor","result":true}"#)
        #expect(harness.finished[answered] == .success(.replied(["ret": "opendoor", "result": true])))

        let silent = harness.enqueue(TerminalCommand(name: "cleanadmin", expectation: .replyIfAny))
        #expect(harness.queue.nextDeadline == harness.clock.now + .seconds(3))
        harness.advance(.seconds(3))
        #expect(harness.finished[silent] == .success(.sent))
    }

    @Test func aDisconnectFailsTheCommandInProgressAndThoseWaiting() {
        let harness = QueueHarness()
        let first = harness.enqueue(getUserInfo)
        let second = harness.enqueue(getTime)
        harness.take(harness.queue.terminalDisconnected())
        #expect(harness.finished[first] == .failure(.disconnected(sn: "ABCD")))
        #expect(harness.finished[second] == .failure(.disconnected(sn: "ABCD")))
        #expect(harness.queue.count == 0)
    }

    @Test func aFullQueueRefusesAtOnce() {
        let harness = QueueHarness()
        for _ in 0..<4 { harness.enqueue(getTime) }
        let refused = harness.enqueue(getTime)
        #expect(harness.finished[refused] == .failure(.queueFull(sn: "ABCD", limit: 4)))
    }

    @Test func aListingIsWalkedWithStnUntilToReachesCountMinusOne() {
        let harness = QueueHarness()
        let ticket = harness.enqueue(userList)
        #expect(harness.sent.last?["stn"] == true)
        harness.reply(#"{"ret":"getuserlist","result":true,"count":5,"from":0,"to":2,"record":[{"enrollid":1},"#
            + #"{"enrollid":2},{"enrollid":3}]}"#)
        #expect(harness.sent.last?["stn"] == false)
        harness.reply(#"{"ret":"getuserlist","result":true,"count":"5","from":"3","to":"4","record":[{"enrollid":4},"#
            + #"{"enrollid":5}]}"#)
        guard case .success(.replied(let merged))? = harness.finished[ticket] else {
            Issue.record("listing not complete: \(String(describing: harness.finished[ticket]))")
            return
        }
        #expect(merged["count"] == 5)
        #expect(merged["record"]?.array?.compactMap { $0["enrollid"]?.int } == [1, 2, 3, 4, 5])
        #expect(merged["from"] == nil && merged["to"] == nil)
        #expect(harness.sent.count == 2)
    }

    @Test func aQuestionnaireIsWalkedOverItsItems() {
        let harness = QueueHarness()
        let ticket = harness.enqueue(questionnaire)
        let fields = #""ret":"getquestionnaire","result":true,"title":"Q","radio":false,"count":5"#
        harness.reply(#"{\#(fields),"from":0,"to":1,"items":["a","b"]}"#)
        harness.reply(#"{\#(fields),"from":2,"to":3,"items":["c","d"]}"#)
        #expect(harness.finished[ticket] == nil, "two of five items listed")
        harness.reply(#"{\#(fields),"from":4,"to":4,"items":["e"]}"#)
        guard case .success(.replied(let merged))? = harness.finished[ticket] else {
            Issue.record("questionnaire not complete: \(String(describing: harness.finished[ticket]))")
            return
        }
        #expect(merged["items"] == ["a", "b", "c", "d", "e"])
        #expect(merged["title"] == "Q" && merged["count"] == 5)
        #expect(merged["record"] == nil && merged["from"] == nil)
        #expect(harness.sent.map { $0["stn"] } == [true, false, false])
    }

    @Test func aQuestionnaireRepeatingItsItemsIsCutOff() {
        let harness = QueueHarness()
        let ticket = harness.enqueue(questionnaire)
        let page = #"{"ret":"getquestionnaire","result":true,"count":9,"from":0,"to":1,"items":["a","b"]}"#
        harness.reply(page)
        harness.reply(page)
        guard case .failure(.protocolError(_, let detail))? = harness.finished[ticket] else {
            Issue.record("expected the listing cut off, got \(String(describing: harness.finished[ticket]))")
            return
        }
        #expect(detail.contains("same page"))
    }

    @Test func anEmptyListingEndsAtTheFirstPage() {
        let harness = QueueHarness()
        let ticket = harness.enqueue(userList)
        harness.reply(#"{"ret":"getuserlist","result":true,"count":0}"#)
        #expect(harness.finished[ticket] == .success(.replied(
            ["ret": "getuserlist", "result": true, "count": 0, "record": []])))
    }

    @Test func aListingEndsAtAnEmptyPage() {
        let harness = QueueHarness()
        let ticket = harness.enqueue(userList)
        harness.reply(#"{"ret":"getuserlist","result":true,"record":[{"enrollid":1}],"from":0,"to":0}"#)
        harness.reply(#"{"ret":"getuserlist","result":true,"record":[]}"#)
        #expect(harness.finished[ticket] != nil)
    }

    @Test func aTerminalRepeatingTheSamePageIsCutOff() {
        let harness = QueueHarness()
        let ticket = harness.enqueue(userList)
        let page = #"{"ret":"getuserlist","result":true,"count":100,"from":0,"to":1,"record":[{"enrollid":1},"#
            + #"{"enrollid":2}]}"#
        harness.reply(page)
        harness.reply(page)
        guard case .failure(.protocolError(_, let detail))? = harness.finished[ticket] else {
            Issue.record("expected the listing cut off, got \(String(describing: harness.finished[ticket]))")
            return
        }
        #expect(detail.contains("same page"))
        #expect(harness.queue.count == 0)
    }

    @Test func aListingThatNeverEndsIsCutOffAfterMaxPages() {
        let harness = QueueHarness()
        let ticket = harness.enqueue(userList)
        for index in 0..<60 where harness.finished[ticket] == nil {
            // Moves on every time, but never reaches the count it announced.
            harness.reply(#"{"ret":"getuserlist","result":true,"count":1000000,"from":\#(index),"to":\#(index),"#
                + #""record":[{"enrollid":\#(index)}]}"#)
        }
        guard case .failure(.protocolError(_, let detail))? = harness.finished[ticket] else {
            Issue.record("expected the listing cut off, got \(String(describing: harness.finished[ticket]))")
            return
        }
        #expect(detail.contains("50 pages"))
    }

    @Test func eachPageHasItsOwnTimeout() {
        let harness = QueueHarness()
        let ticket = harness.enqueue(userList)
        harness.advance(.seconds(15))
        harness.reply(#"{"ret":"getuserlist","result":true,"count":4,"from":0,"to":1,"record":[{"enrollid":1},"#
            + #"{"enrollid":2}]}"#)
        harness.advance(.seconds(15))
        #expect(harness.finished[ticket] == nil)
        harness.advance(.seconds(5))
        #expect(harness.finished[ticket] == .failure(.timeout(sn: "ABCD", seconds: 20)))
    }

    @Test func logPagesAreHandedOnWithPhotosAndTheMergedReplyKeepsNone() {
        let harness = QueueHarness()
        let ticket = harness.enqueue(newLogs)
        harness.reply(#"{"ret":"getnewlog","result":true,"count":2,"from":0,"to":0,"record":[{"enrollid":1,"#
            + #""time":"2024-01-01 08:00:00","image":"/9j/4AAQ"}]}"#)
        harness.reply(#"{"ret":"getnewlog","result":true,"count":2,"from":1,"to":1,"record":[{"enrollid":2,"#
            + #""time":"2024-01-01 08:00:01"}]}"#)
        #expect(harness.logPages.count == 2)
        #expect(harness.logPages[0][0]["image"] == "/9j/4AAQ")
        guard case .success(.replied(let merged))? = harness.finished[ticket] else {
            Issue.record("listing not complete")
            return
        }
        let records = merged["record"]?.array ?? []
        #expect(records.map { $0["has_image"] } == [true, false])
        #expect(records.allSatisfy { $0["image"] == nil })
    }

    @Test func aSendlogBetweenACommandAndItsReplyIsNotTakenAsTheReply() {
        let harness = QueueHarness()
        let ticket = harness.enqueue(getUserInfo)
        #expect(!harness.reply(#"{"cmd":"sendlog","sn":"ABCD","count":1,"logindex":1,"record":[]}"#))
        #expect(harness.finished[ticket] == nil)
    }
}

@Suite struct LateReplyTests {
    @Test func aReplyNamingAnotherPersonIsDroppedHoweverLateItComes() {
        let harness = QueueHarness()
        let first = harness.enqueue(TerminalCommand(name: "getuserinfo", fields: ["enrollid": 2]), timeout: .seconds(1))
        let second = harness.enqueue(TerminalCommand(name: "getuserinfo", fields: ["enrollid": 3]))
        harness.advance(.seconds(1))
        harness.advance(harness.queue.lateReplyGrace)
        #expect(harness.finished[first] == .failure(.timeout(sn: "ABCD", seconds: 1)))
        #expect(harness.sent.last?["enrollid"] == 3)

        #expect(harness.reply(#"{"ret":"getuserinfo","result":true,"enrollid":"2","name":"Bia"}"#))
        #expect(harness.finished[second] == nil, "the reply about user 2 is not given to the caller asking about 3")
        harness.reply(#"{"ret":"getuserinfo","result":true,"enrollid":3,"name":"Caio"}"#)
        let caio: JSONObject = ["ret": "getuserinfo", "result": true, "enrollid": 3, "name": "Caio"]
        #expect(harness.finished[second] == .success(.replied(caio)))
    }
}

@Suite struct BrokenListingTests {
    private func walk(_ pages: [String]) -> Result<CommandOutcome, CommandFailure>? {
        let harness = QueueHarness()
        let ticket = harness.enqueue(TerminalCommand(name: "getuserlist", paging: .users))
        for page in pages where harness.finished[ticket] == nil { harness.reply(page) }
        return harness.finished[ticket]
    }

    private func detail(_ result: Result<CommandOutcome, CommandFailure>?) -> String? {
        guard case .failure(.protocolError(_, let detail))? = result else { return nil }
        return detail
    }

    @Test func aListingThatStopsShortOfItsCountIsAnError() {
        let result = walk([
            #"{"ret":"getuserlist","result":true,"count":35,"from":0,"to":1,"record":[{"enrollid":1},{"enrollid":2}]}"#,
            #"{"ret":"getuserlist","result":true,"count":35,"record":[]}"#,
        ])
        #expect(detail(result)?.contains("2 of the 35") == true, "\(String(describing: result))")
    }

    @Test(arguments: [#""record":null"#, #""from":0,"to":-1"#, ""])
    func aFirstPageWithoutEntriesButACountIsAnError(fields: String) {
        let separator = fields.isEmpty ? "" : ","
        let result = walk([#"{"ret":"getuserlist","result":true,"count":35\#(separator)\#(fields)}"#])
        #expect(detail(result) != nil, "\(String(describing: result))")
    }

    @Test func aPageThatIsNoRangeIsAnError() {
        let result = walk([#"{"ret":"getuserlist","result":true,"count":35,"from":5,"to":2,"#
            + #""record":[{"enrollid":1}]}"#])
        #expect(detail(result)?.contains("no range") == true)
    }

    @Test func pagesThatOverlapOrLeaveAGapAreErrors() {
        let overlap = walk([
            #"{"ret":"getuserlist","result":true,"count":10,"from":0,"to":4,"record":[{"a":0},{"a":1},{"a":2},{"a":3},"#
                + #"{"a":4}]}"#,
            #"{"ret":"getuserlist","result":true,"count":10,"from":3,"to":7,"record":[{"a":3},{"a":4},{"a":5},{"a":6},"#
                + #"{"a":7}]}"#,
        ])
        #expect(detail(overlap)?.contains("counted twice") == true)
        let gap = walk([
            #"{"ret":"getuserlist","result":true,"count":10,"from":0,"to":1,"record":[{"a":0},{"a":1}]}"#,
            #"{"ret":"getuserlist","result":true,"count":10,"from":5,"to":9,"record":[{"a":5},{"a":6},{"a":7},{"a":8},"#
                + #"{"a":9}]}"#,
        ])
        #expect(detail(gap)?.contains("missing") == true)
    }
}
