import CatracaCore
import CatracaTerminal
import Foundation
import Testing
@testable import CatracaStore

/// The brief's load: 50 terminals each sending a batch of 20 records every 20 ms (50,000 records/s), each
/// waiting for its acknowledgement before the next. Durations are only meaningful in a release build, so
/// this runs only when asked: `CATRACA_STORE_LOAD=1 swift test -c release --filter StoreWriterLoadTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CATRACA_STORE_LOAD"] != nil), .serialized)
final class StoreWriterLoadTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    @Test(arguments: [TimeSpan.zero, TimeSpan(nanoseconds: 200_000)])
    func fiftyTerminalsAtFiftyThousandRecordsPerSecond(gatherDelay: TimeSpan) throws {
        let terminals = 50
        let recordsPerBatch = 20
        let interval = 0.020
        let duration = 3.0
        let writer = try StoreWriter(path: directory.databasePath, configuration: .init(gatherDelay: gatherDelay),
                                     logger: Logger(label: "store", sink: MemoryLogSink()))
        let clock = SystemTimeSource()
        let waits = WaitTimes()

        let started = Date()
        // One thread per terminal: concurrentPerform would run only as many at once as there are cores.
        runOnThreads(terminals) { terminal in
            let acknowledged = DispatchSemaphore(value: 0)
            var sent = 0
            while Date().timeIntervalSince(started) < duration {
                let batch = Fixture.batch(id: UInt64(sent), sn: "T\(terminal)",
                                          records: Fixture.records(sn: "T\(terminal)", from: sent * recordsPerBatch,
                                                                   count: recordsPerBatch))
                let submitted = clock.now
                writer.submit(batch) { _ in acknowledged.signal() }
                acknowledged.wait()
                waits.add(clock.now.since(submitted))
                sent += 1
                // Terminals are not synchronised: each sends at its own phase within the interval.
                let phase = interval * Double(terminal) / Double(terminals)
                let next = started.addingTimeInterval(phase + Double(sent) * interval)
                Thread.sleep(forTimeInterval: max(0, next.timeIntervalSinceNow))
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        writer.stop()

        let stats = writer.stats
        let recordsPerSecond = Double(stats.rows) / elapsed
        let p99 = waits.percentile(0.99)
        print("gather \(gatherDelay): \(Int(recordsPerSecond)) records/s, p50 \(waits.percentile(0.5)), p99 \(p99), "
              + "\(stats.commits) commits, \(stats.meanItemsPerCommit) batches per commit, "
              + "\(stats.commitNanoseconds / Int64(max(1, stats.commits)) / 1_000) µs per commit")
        #expect(recordsPerSecond >= 45_000)
        #expect(p99 <= .milliseconds(10))
    }
}

/// Runs `body(0 ..< count)` on `count` threads of its own and returns when all have finished.
private func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let done = DispatchGroup()
    for index in 0..<count {
        done.enter()
        Thread {
            body(index)
            done.leave()
        }.start()
    }
    done.wait()
}

/// Commit waits gathered from many threads.
private final class WaitTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var samples: [TimeSpan] = []

    func add(_ wait: TimeSpan) {
        lock.lock()
        samples.append(wait)
        lock.unlock()
    }

    func percentile(_ fraction: Double) -> TimeSpan {
        lock.lock()
        defer { lock.unlock() }
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return .zero }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}
