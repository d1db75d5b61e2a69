#if canImport(Glibc)
import Glibc
#endif
import CatracaCore
import CatracaTerminal
import Foundation
@testable import CatracaStore

/// A fresh directory under the system temp dir, removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/catraca-store-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            throw StoreTestFailure("mkdtemp failed: errno \(errno)")
        }
        path = String(cString: created)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// A database path inside the directory.
    var databasePath: String { path + "/catraca.db" }
}

struct StoreTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Builders for the records tests store.
enum Fixture {
    static let receivedAt = Date(timeIntervalSince1970: 1_703_350_170.25)

    static func record(sn: String = "ABCD1234", enrollid: Int64 = 7, time: String = "2023-12-23 13:49:30",
                       event: Int = 0, name: String? = nil, photo: Photo? = nil,
                       extraJSON: String? = nil) -> AccessRecord {
        AccessRecord(identity: RecordIdentity(sn: sn, enrollid: enrollid, time: time, mode: 8, inOut: 0, event: event),
                     verifyMode: 8, temperature: nil, name: name, photo: photo, extraJSON: extraJSON)
    }

    /// Records `first ..< first + count` of terminal `sn`, one second apart.
    static func records(sn: String = "ABCD1234", from first: Int = 0, count: Int) -> [AccessRecord] {
        (first..<(first + count)).map { index in
            record(sn: sn, enrollid: Int64(index), time: String(format: "2023-12-23 13:%02d:%02d", index / 60 % 60,
                                                                index % 60))
        }
    }

    static func batch(id: UInt64 = 1, sn: String = "ABCD1234", records: [AccessRecord],
                      quarantined: [QuarantinedRecord] = []) -> RecordBatch {
        RecordBatch(id: id, sn: sn, records: records, quarantined: quarantined, receivedAt: receivedAt)
    }

    static func photo(size: Int, seed: UInt8 = 1) -> Photo {
        Photo(mediaType: "image/jpeg", bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0) &+ seed })
    }
}

/// Collects completions from the writer thread and lets a test wait for them.
final class Completions<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [UInt64: [Result<Value, StoreError>]] = [:]

    func record(_ id: UInt64, _ result: Result<Value, StoreError>) {
        condition.lock()
        results[id, default: []].append(result)
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until `count` distinct ids have completed; false on timeout.
    func wait(for count: Int, timeout: TimeInterval = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while results.count < count {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }

    var all: [UInt64: [Result<Value, StoreError>]] {
        condition.lock()
        defer { condition.unlock() }
        return results
    }
}
