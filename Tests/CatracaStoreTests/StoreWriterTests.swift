import CatracaCore
import CatracaTerminal
import CSQLite
import Foundation
import Testing
@testable import CatracaStore

@Suite final class StoreWriterTests {
    let directory: TemporaryDirectory
    let sink = MemoryLogSink()

    init() throws {
        directory = try TemporaryDirectory()
    }

    private func writer(_ configuration: StoreWriter.Configuration = .init(),
                        prepare: (RecordStore) throws -> Void = { _ in }) throws -> StoreWriter {
        let store = try RecordStore(path: directory.databasePath)
        try prepare(store)
        return StoreWriter(store: store, configuration: configuration,
                           logger: Logger(label: "store", level: .debug, sink: sink))
    }

    @Test func submissionsFromSeveralThreadsAreGroupedAndEachCompletesOnce() throws {
        let writer = try writer()
        let completions = Completions<BatchOutcome>()
        let threads = 4
        let batchesPerThread = 250

        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in 0..<batchesPerThread {
                let id = UInt64(thread * batchesPerThread + index)
                let batch = Fixture.batch(id: id, sn: "T\(thread)", records: Fixture.records(
                    sn: "T\(thread)", from: index * 2, count: 2))
                writer.submit(batch) { completions.record(id, $0) }
            }
        }

        #expect(completions.wait(for: threads * batchesPerThread))
        writer.stop()
        let results = completions.all
        #expect(results.count == threads * batchesPerThread)
        #expect(results.values.allSatisfy { $0.count == 1 })
        #expect(results.values.allSatisfy { (try? $0[0].get()) == BatchOutcome(inserted: 2, duplicates: 0,
                                                                                   quarantined: 0) })
        let stats = writer.stats
        #expect(stats.items == threads * batchesPerThread)
        #expect(stats.rows == threads * batchesPerThread * 2)
        #expect(stats.commits < threads * batchesPerThread / 2, "grouping: \(stats.commits) commits")
        #expect(stats.itemsPerCommit.reduce(0, +) == stats.commits)
        #expect(try StoreReader(path: directory.databasePath).records().all().count == threads * batchesPerThread * 2)
    }

    @Test func aGroupIsCappedAtTheRowLimit() throws {
        let writer = try writer(.init(maxRowsPerCommit: 10, gatherDelay: .milliseconds(200)))
        let completions = Completions<BatchOutcome>()

        for id in 0..<6 as Range<UInt64> {
            let batch = Fixture.batch(id: id, records: Fixture.records(from: Int(id) * 4, count: 4))
            writer.submit(batch) { completions.record(id, $0) }
        }

        #expect(completions.wait(for: 6))
        writer.stop()
        #expect(writer.stats.largestCommit <= 2)
        #expect(writer.stats.commits >= 3)
    }

    @Test func aFailedCommitFailsEveryItemInItAndTheWriterRecovers() throws {
        // The gather delay makes the three submissions one group; the photo does not fit in the "disk".
        let writer = try writer(.init(gatherDelay: .milliseconds(300))) { try limitGrowth(of: $0.database) }
        let failed = Completions<BatchOutcome>()
        let registration = Completions<Void>()

        writer.submit(Fixture.batch(id: 1, records: [Fixture.record(enrollid: 1)])) { failed.record(1, $0) }
        writer.submit(Fixture.batch(id: 2, records: [Fixture.record(enrollid: 2, photo: Fixture.photo(size: 200_000))]))
        { failed.record(2, $0) }
        writer.submit(TerminalRegistration(sn: "ABCD1234", devinfoJSON: nil, address: "h:1", seenAt: Date())) {
            registration.record(3, $0)
        }
        #expect(failed.wait(for: 2))
        #expect(registration.wait(for: 1))

        let second = Completions<BatchOutcome>()
        writer.submit(Fixture.batch(id: 4, records: [Fixture.record(enrollid: 4, photo: Fixture.photo(size: 200_000))]))
        { second.record(4, $0) }
        #expect(second.wait(for: 1))
        let recovered = Completions<BatchOutcome>()
        writer.submit(Fixture.batch(id: 5, records: [Fixture.record(enrollid: 5)])) { recovered.record(5, $0) }
        #expect(recovered.wait(for: 1))
        writer.stop()

        let errors = (failed.all.values.flatMap { $0 } + second.all.values.flatMap { $0 }).compactMap(failure)
            + registration.all.values.flatMap { $0 }.compactMap(failure)
        #expect(errors.count == 4)
        #expect(errors.allSatisfy { $0.resultCode == SQLITE_FULL })
        #expect(try recovered.all[5]?.first?.get() == BatchOutcome(inserted: 1, duplicates: 0, quarantined: 0))
        #expect(writer.stats.failedCommits == 2)
        #expect(sink.entries(containing: "store commit failed", level: .error).count == 1)
        #expect(sink.entries(containing: "store recovered", level: .info).count == 1)
        #expect(try StoreReader(path: directory.databasePath).records().all().map(\.identity.enrollid) == [5])
    }

    @Test func stopCommitsWhatIsQueuedAndLaterWorkIsRefused() throws {
        let writer = try writer(.init(gatherDelay: .milliseconds(100)))
        let completions = Completions<BatchOutcome>()
        for id in 0..<20 as Range<UInt64> {
            writer.submit(Fixture.batch(id: id, records: Fixture.records(from: Int(id), count: 1))) {
                completions.record(id, $0)
            }
        }

        writer.stop()

        #expect(completions.all.count == 20)
        #expect(completions.all.values.allSatisfy { (try? $0[0].get()) != nil })
        let late = Completions<BatchOutcome>()
        writer.submit(Fixture.batch(id: 99, records: [Fixture.record()])) { late.record(99, $0) }
        #expect(late.all[99].flatMap { failure($0[0]) }?.kind == .writerStopped)
    }

    @Test func oldPhotosArePrunedByTheWriter() throws {
        let clock = ManualTimeSource(wallClock: Date(timeIntervalSince1970: 1_703_350_000))
        let store = try RecordStore(path: directory.databasePath, clock: clock)
        _ = try store.commit([.batch(Fixture.batch(records: [Fixture.record(photo: Fixture.photo(size: 100))]))])
        clock.advance(by: .seconds(7_200))

        let writer = StoreWriter(store: store, configuration: .init(photoRetention: .seconds(3_600)),
                                 logger: Logger(label: "store", sink: sink), clock: clock)
        let completions = Completions<BatchOutcome>()
        writer.submit(Fixture.batch(records: [Fixture.record(enrollid: 9, photo: Fixture.photo(size: 100))])) {
            completions.record(1, $0)
        }
        #expect(completions.wait(for: 1))
        writer.stop()

        let records = try StoreReader(path: directory.databasePath).records().all()
        #expect(records.map(\.hasPhoto) == [false, true])
    }

    private func failure<Value>(_ result: Result<Value, StoreError>) -> StoreError? {
        if case .failure(let error) = result { return error }
        return nil
    }
}
