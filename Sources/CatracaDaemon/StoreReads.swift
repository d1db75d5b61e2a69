import CatracaServer
import CatracaStore
import Dispatch

/// Reads the store for the API off the event loop: on its own queue, with its own read-only connection,
/// the result handed back to the loop.
///
/// The connection is opened at the first read and opened again after a read that failed, so a store that
/// was briefly unreadable does not stay so for the API.
final class StoreReads: @unchecked Sendable {
    private let path: String
    private let loop: EventLoop
    private let queue = DispatchQueue(label: "catraca-api-reads")
    /// Used only on `queue`.
    private var reader: StoreReader?

    init(path: String, loop: EventLoop) {
        self.path = path
        self.loop = loop
    }

    /// Runs `work` on the reading queue; `completion` runs on the event loop.
    func read<Value>(_ work: @escaping (StoreReader) throws -> Value,
                     completion: @escaping (Result<Value, Error>) -> Void) {
        queue.async { [self] in
            let result: Result<Value, Error>
            do {
                let reader = try self.reader ?? StoreReader(path: path)
                self.reader = reader
                result = .success(try work(reader))
            } catch {
                if !StoreReads.isBadArgument(error) { closeReader() }
                result = .failure(error)
            }
            loop.execute { completion(result) }
        }
    }

    /// Closes the connection; call when the daemon stops.
    func close() {
        queue.sync { closeReader() }
    }

    /// Whether `error` says the request was wrong (a malformed time), not that the store failed.
    static func isBadArgument(_ error: Error) -> Bool {
        guard let error = error as? StoreError, case .invalidArgument = error.kind else { return false }
        return true
    }

    private func closeReader() {
        reader?.close()
        reader = nil
    }
}
