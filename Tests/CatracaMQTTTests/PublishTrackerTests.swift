import CatracaCore
import CatracaStore
import Testing

@testable import CatracaMQTT

@Suite struct PublishTrackerTests {
    private func tracked(_ mids: [Int32], in tracker: inout PublishTracker, box: ResultBox) -> UInt64 {
        let token = tracker.begin { box.set($0) }
        for mid in mids {
            tracker.published(mid: mid, entryID: Int64(mid) * 10, topic: "catraca/main/records", in: token)
        }
        return token
    }

    @Test func aBatchIsDeliveredOnlyOnceEveryMessageHasItsPUBACK() {
        var tracker = PublishTracker()
        let box = ResultBox()
        let token = tracked([1, 2, 3], in: &tracker, box: box)
        #expect(tracker.finishPublishing(token) == nil)

        #expect(tracker.acknowledged(mid: 2, reasonCode: 0) == nil)
        #expect(tracker.acknowledged(mid: 1, reasonCode: 0x10) == nil, "0x10 (no subscribers) is a success")
        let finished = tracker.acknowledged(mid: 3, reasonCode: 0)

        #expect(finished?.result == .delivered)
        #expect(tracker.batchCount == 0)
        #expect(tracker.messageCount == 0)
    }

    @Test func pubacksArrivingBeforeThePublishingEndsFinishTheBatchWhenItEnds() {
        var tracker = PublishTracker()
        let box = ResultBox()
        let token = tracked([7], in: &tracker, box: box)
        #expect(tracker.acknowledged(mid: 7, reasonCode: 0) == nil)

        #expect(tracker.finishPublishing(token)?.result == .delivered)
    }

    @Test func aNotAuthorisedPubackParksTheBatchNamingTheEntryButOnlyAfterTheOtherPubacks() {
        var tracker = PublishTracker()
        let box = ResultBox()
        let token = tracked([1, 2], in: &tracker, box: box)
        _ = tracker.finishPublishing(token)

        #expect(tracker.acknowledged(mid: 1, reasonCode: 0x87) == nil)
        let finished = tracker.acknowledged(mid: 2, reasonCode: 0)

        guard case .park(let reason)? = finished?.result else {
            Issue.record("expected .park, got \(String(describing: finished?.result))")
            return
        }
        #expect(reason.contains("entry 10"))
        #expect(reason.contains("0x87"))
    }

    @Test func aParkOutranksARetryWhateverTheOrder() {
        var tracker = PublishTracker()
        let box = ResultBox()
        let token = tracked([1, 2, 3], in: &tracker, box: box)
        _ = tracker.finishPublishing(token)

        _ = tracker.acknowledged(mid: 1, reasonCode: 0x97)
        _ = tracker.acknowledged(mid: 2, reasonCode: 0x95)
        let finished = tracker.acknowledged(mid: 3, reasonCode: 0x97)

        guard case .park(let reason)? = finished?.result else {
            Issue.record("expected .park, got \(String(describing: finished?.result))")
            return
        }
        #expect(reason.contains("entry 20"))
    }

    @Test func aQuotaExceededPubackRetriesTheBatch() {
        var tracker = PublishTracker()
        let box = ResultBox()
        let token = tracked([4], in: &tracker, box: box)
        _ = tracker.finishPublishing(token)

        guard case .retry(let after, let reason)? = tracker.acknowledged(mid: 4, reasonCode: 0x97)?.result else {
            Issue.record("expected .retry")
            return
        }
        #expect(after == nil)
        #expect(reason.contains("0x97"))
    }

    @Test func abandoningEveryBatchReturnsEachOnceAndLaterPubacksAreIgnored() {
        var tracker = PublishTracker()
        let first = ResultBox()
        let second = ResultBox()
        _ = tracker.finishPublishing(tracked([1, 2], in: &tracker, box: first))
        _ = tracker.finishPublishing(tracked([3], in: &tracker, box: second))

        let retry = DeliveryResult.retry(after: nil, reason: "connection lost")
        let finished = tracker.abandonAll(with: retry)
        finished.forEach { $0.complete() }

        #expect(finished.count == 2)
        #expect(first.wait(timeout: 0) == retry)
        #expect(second.wait(timeout: 0) == retry)
        #expect(tracker.acknowledged(mid: 1, reasonCode: 0) == nil)
        #expect(tracker.messageCount == 0)
    }

    @Test func abandoningOneBatchLeavesTheOthersWaiting() {
        var tracker = PublishTracker()
        let box = ResultBox()
        let timedOut = tracked([1], in: &tracker, box: box)
        let other = tracked([2], in: &tracker, box: box)
        _ = tracker.finishPublishing(timedOut)
        _ = tracker.finishPublishing(other)

        #expect(tracker.abandon(timedOut, with: .retry(after: nil, reason: "timeout")) != nil)
        #expect(tracker.abandon(timedOut, with: .retry(after: nil, reason: "timeout")) == nil, "only once")
        #expect(tracker.acknowledged(mid: 1, reasonCode: 0) == nil)
        #expect(tracker.acknowledged(mid: 2, reasonCode: 0)?.result == .delivered)
    }
}

extension PublishTracker.Finished: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.result == rhs.result }
}
