import CatracaCore
import CatracaStore
import Foundation
import Testing
@testable import CatracaUpstream

/// Drives the forwarder as `OutboxPump` does, over an in-memory outbox, with a fake clock.
final class ForwarderHarness {
    var forwarder: OutboxForwarder
    var now = Instant(nanoseconds: 1_000_000_000)
    /// The store as the forwarder sees it.
    var entries: [Int64]
    var deliveredThrough: Int64 = 0
    var sending: ClosedRange<Int64>?
    var parked: [ClosedRange<Int64>] = []
    var requeued: [ClosedRange<Int64>] = []
    var sent: [OutboxBatch] = []

    init(entries: [Int64], batchSize: Int = 3, random: Double = 0.5) {
        self.entries = entries
        forwarder = OutboxForwarder(
            transport: "fake", configuration: OutboxForwarderConfiguration(batchSize: batchSize),
            random: { random }, wallClock: { Date(timeIntervalSince1970: 0) })
    }

    private func entry(_ id: Int64) -> OutboxEntry {
        OutboxEntry(outboxID: id, kind: "record", sn: "T\(id % 2)", payload: "{\"version\":1}", createdAt: "")
    }

    private func pending() -> OutboxPendingBatch? {
        if let range = requeued.first {
            return OutboxPendingBatch(transport: "fake", first: range.lowerBound, last: range.upperBound,
                                      entries: entries.filter(range.contains).map(entry), origin: .requeuedParked)
        }
        if let range = sending {
            return OutboxPendingBatch(transport: "fake", first: range.lowerBound, last: range.upperBound,
                                      entries: entries.filter(range.contains).map(entry), origin: .unconfirmed)
        }
        let next = entries.filter { $0 > deliveredThrough }.prefix(forwarder.configuration.batchSize)
        guard let first = next.first, let last = next.last else { return nil }
        return OutboxPendingBatch(transport: "fake", first: first, last: last, entries: next.map(entry),
                                  origin: .fresh)
    }

    private func apply(_ update: OutboxUpdate) {
        switch update {
        case .sending(_, let first, let last):
            sending = first...last
        case .delivered(_, let first, let last, _, _, let resent):
            if resent { requeued.removeAll { $0.lowerBound == first } } else {
                deliveredThrough = last
                sending = nil
            }
        case .parked(_, let first, let last, _, _, _, let resent):
            parked.append(first...last)
            if resent { requeued.removeAll { $0.lowerBound == first } } else {
                deliveredThrough = last
                sending = nil
            }
        default:
            break
        }
    }

    /// Runs steps until the forwarder sends a batch or waits; returns the batch sent, if any.
    @discardableResult
    func runUntilSendOrWait(storeFails: Bool = false) -> OutboxBatch? {
        for _ in 0..<20 {
            switch forwarder.step(now: now) {
            case .read:
                forwarder.read(pending(), now: now)
            case .record(let update):
                if !storeFails { apply(update) }
                forwarder.recorded(success: !storeFails, now: now)
            case .send(let batch):
                sent.append(batch)
                return batch
            case .wait, .none:
                return nil
            }
        }
        Issue.record("the forwarder did not settle")
        return nil
    }

    func answer(_ result: DeliveryResult) {
        forwarder.finished(result, now: now)
    }

    func waitingUntil() -> Instant? {
        if case .wait(let until) = forwarder.step(now: now) { return until }
        return nil
    }
}

@Suite struct OutboxForwarderTests {
    @Test func batchesGoOutInIdOrderAndEachIsStoredAsSendingBeforeItGoes() {
        let harness = ForwarderHarness(entries: [1, 2, 3, 4, 5, 7])

        let first = harness.runUntilSendOrWait()
        #expect(harness.sending == 1...3)
        harness.answer(.delivered)
        let second = harness.runUntilSendOrWait()
        harness.answer(.delivered)
        let third = harness.runUntilSendOrWait()

        #expect(first?.entries.map(\.id) == [1, 2, 3])
        #expect(first?.key == "fake-1-3")
        #expect(second?.entries.map(\.id) == [4, 5, 7])
        #expect(third == nil)
        #expect(harness.deliveredThrough == 7)
        #expect(harness.forwarder.deliveredEntries == 6)
    }

    @Test func anIdleForwarderLooksAgainAfterThePollIntervalOrWhenWoken() {
        let harness = ForwarderHarness(entries: [])
        harness.runUntilSendOrWait()
        #expect(harness.waitingUntil() == harness.now + .milliseconds(250))

        harness.entries = [1]
        harness.forwarder.wake(now: harness.now)
        #expect(harness.runUntilSendOrWait()?.entries.map(\.id) == [1])
    }

    @Test func temporaryFailuresBackOffExponentiallyWithJitterUpToTheCap() {
        let low = ForwarderHarness(entries: [1], random: 0)
        let high = ForwarderHarness(entries: [1], random: 0.999_999)
        var lowDelays: [Double] = []
        var highDelays: [Double] = []

        for _ in 0..<12 {
            for (harness, index) in [(low, 0), (high, 1)] {
                harness.runUntilSendOrWait()
                harness.answer(.retry(after: nil, reason: "HTTP 503"))
                let until = harness.waitingUntil() ?? harness.now
                let delay = until.since(harness.now).seconds
                if index == 0 { lowDelays.append(delay) } else { highDelays.append(delay) }
                harness.now = until
            }
        }

        #expect(lowDelays.prefix(4).map { ($0 * 10).rounded() / 10 } == [0.5, 1, 2, 4])
        #expect(highDelays.prefix(4).map { $0.rounded() } == [1, 2, 4, 8])
        #expect(lowDelays.last == 150)
        #expect(abs((highDelays.last ?? 0) - 300) < 0.01)
        #expect(zip(lowDelays, highDelays).allSatisfy { $0 <= $1 && $0 >= $1 / 2 - 0.001 })
        #expect(low.sent.allSatisfy { $0.key == "fake-1-1" })
        #expect(low.forwarder.lastError == "HTTP 503")
    }

    @Test func theServersRetryAfterIsHonouredAndCapped() {
        let harness = ForwarderHarness(entries: [1])
        harness.runUntilSendOrWait()
        harness.answer(.retry(after: .seconds(2), reason: "HTTP 429"))
        #expect(harness.waitingUntil() == harness.now + .seconds(2))
        #expect(harness.forwarder.nextRetryAt == harness.now + .seconds(2))

        harness.now = harness.now + .seconds(2)
        #expect(harness.runUntilSendOrWait()?.key == "fake-1-1")
        harness.answer(.retry(after: .seconds(86_400), reason: "HTTP 503"))
        #expect(harness.waitingUntil() == harness.now + .seconds(3_600))
    }

    @Test func aRefusedBatchIsParkedAndTheNextOneFollows() {
        let harness = ForwarderHarness(entries: [1, 2, 3, 4], batchSize: 2)
        harness.runUntilSendOrWait()
        harness.answer(.park(reason: "HTTP 400: bad payload"))
        let next = harness.runUntilSendOrWait()

        #expect(harness.parked == [1...2])
        #expect(next?.entries.map(\.id) == [3, 4])
        #expect(harness.forwarder.parkedBatches == 1)
        #expect(harness.forwarder.lastError == "HTTP 400: bad payload")
    }

    @Test func aBatchSentButNotConfirmedBeforeARestartIsSentAgainWithTheSameKey() {
        let before = ForwarderHarness(entries: [1, 2, 3, 4, 5])
        let lost = before.runUntilSendOrWait()

        let after = ForwarderHarness(entries: [1, 2, 3, 4, 5, 6])
        after.sending = before.sending
        let resent = after.runUntilSendOrWait()

        #expect(lost?.key == "fake-1-3")
        #expect(resent?.key == lost?.key)
        #expect(resent?.entries.map(\.id) == [1, 2, 3])
    }

    @Test func aRequeuedParkedBatchGoesFirstWithItsOldKeyAndLeavesThePositionAlone() {
        let harness = ForwarderHarness(entries: [1, 2, 3, 4, 5, 6])
        harness.deliveredThrough = 3
        harness.parked = [1...2]
        harness.requeued = [1...2]

        let batch = harness.runUntilSendOrWait()
        harness.answer(.delivered)
        let next = harness.runUntilSendOrWait()

        #expect(batch?.key == "fake-1-2")
        #expect(harness.requeued.isEmpty)
        #expect(next?.entries.map(\.id) == [4, 5, 6])
    }

    @Test func anOperatorRetryEndsABackOffAtOnce() {
        let harness = ForwarderHarness(entries: [1])
        harness.runUntilSendOrWait()
        harness.answer(.retry(after: .seconds(60), reason: "HTTP 503"))
        harness.forwarder.retryNow(now: harness.now)

        #expect(harness.runUntilSendOrWait()?.key == "fake-1-1")
        #expect(harness.forwarder.nextRetryAt == nil)
    }

    @Test func aStoreThatCannotRecordSendsNothingAndReadsAgainLater() {
        let harness = ForwarderHarness(entries: [1, 2])
        #expect(harness.runUntilSendOrWait(storeFails: true) == nil)
        #expect(harness.waitingUntil() == harness.now + .seconds(1))
        harness.now = harness.now + .seconds(1)
        #expect(harness.runUntilSendOrWait()?.key == "fake-1-2")
    }
}
