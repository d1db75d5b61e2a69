import CatracaCore
import CatracaJSON
import Testing
@testable import CatracaTerminal

private let openDoor = TerminalCommand(name: "opendoor", fields: ["doornum": 3])
private let getTime = TerminalCommand(name: "gettime")
private let getDevInfo = TerminalCommand(name: "getdevinfo")

/// `CommandQueue.cancel`: a command whose caller has gone is withdrawn until it is sent, never after.
@Suite struct CommandQueueCancelTests {
    @Test func aWaitingCommandIsWithdrawnAndNeverSent() {
        let harness = QueueHarness()
        let slow = harness.enqueue(getTime)
        let abandoned = harness.enqueue(openDoor)
        let next = harness.enqueue(getDevInfo)

        let (cancellation, effects) = harness.queue.cancel(abandoned)
        harness.take(effects)
        #expect(cancellation == .withdrawn)
        #expect(effects.isEmpty)
        #expect(harness.queue.count == 2)

        harness.reply(#"{"ret":"gettime","result":true,"time":"2024-01-01 00:00:00"}"#)
        #expect(harness.finished[slow] != nil)
        #expect(harness.sent.map { $0["cmd"]?.string } == ["gettime", "getdevinfo"])
        #expect(harness.finished[abandoned] == nil)
        #expect(harness.finished[next] == nil)
    }

    @Test func aCommandAlreadySentStaysAndItsReplyStillFinishesIt() {
        let harness = QueueHarness()
        let sent = harness.enqueue(openDoor)

        let (cancellation, effects) = harness.queue.cancel(sent)
        #expect(cancellation == .alreadySent)
        #expect(effects.isEmpty)
        #expect(harness.queue.count == 1)

        // Its reply is taken by it, not left for a later opendoor.
        harness.reply(#"{"ret":"opendoor","result":true}"#)
        #expect(harness.finished[sent] == .success(.replied(["ret": "opendoor", "result": true])))
    }

    @Test func aFinishedOrUnknownTicketCancelsNothing() {
        let harness = QueueHarness()
        let done = harness.enqueue(getTime)
        harness.reply(#"{"ret":"gettime","result":true,"time":"2024-01-01 00:00:00"}"#)

        #expect(harness.queue.cancel(done).0 == .notQueued)
        #expect(harness.queue.cancel(CommandQueue.Ticket(rawValue: 99)).0 == .notQueued)
    }

    @Test func withdrawingTheCommandHeldBackByALateReplyLetsTheNextOneGoAtOnce() {
        let harness = QueueHarness()
        harness.enqueue(getTime)
        harness.advance(.seconds(20))
        let heldBack = harness.enqueue(getTime)
        harness.enqueue(getDevInfo)
        #expect(harness.sent.count == 1)

        let (cancellation, effects) = harness.queue.cancel(heldBack)
        harness.take(effects)

        #expect(cancellation == .withdrawn)
        #expect(harness.lastSentName == "getdevinfo")
    }
}
