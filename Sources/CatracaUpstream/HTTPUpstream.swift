import CatracaCore
import CatracaStore
import Dispatch
import Foundation

/// The HTTP transport: POSTs each batch as JSON with an `Idempotency-Key` and a bearer token, on a worker
/// queue of its own (blocking socket calls never run on the event loop).
///
/// 2xx delivers the batch; 408, 429, 5xx, network errors and timeouts retry (honouring `Retry-After`); any
/// other status parks it with the status and the start of the body (`HTTPDeliveryPolicy`).
public final class HTTPUpstream: UpstreamTransport, @unchecked Sendable {
    public let name = "http"
    private let url: HTTPUpstreamURL
    private let token: String?
    private let site: String
    private let timeout: TimeInterval
    private let queue = DispatchQueue(label: "catraca-upstream-http")
    private let lock = NSLock()
    private var stopped = false

    /// - Parameters:
    ///   - timeout: for the whole exchange of one batch (connect, send, answer).
    public init(url: HTTPUpstreamURL, token: String?, site: String, timeout: TimeInterval) {
        self.url = url
        self.token = token
        self.site = site
        self.timeout = timeout
    }

    public func deliver(_ batch: OutboxBatch, completion: @escaping @Sendable (DeliveryResult) -> Void) {
        queue.async { [self] in
            guard !isStopped else {
                return completion(.retry(after: nil, reason: "the HTTP transport is stopping"))
            }
            completion(exchange(batch))
        }
    }

    /// Sends nothing more; a request under way ends by its timeout at the latest.
    public func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func exchange(_ batch: OutboxBatch) -> DeliveryResult {
        let body = HTTPUpstreamRequest.body(site: site, batch: batch)
        let request = HTTPUpstreamRequest.bytes(url: url, token: token, key: batch.key, body: body)
        do {
            let response = try BlockingHTTPExchange(host: url.host, port: url.port, timeout: timeout).run(request)
            return HTTPDeliveryPolicy.result(status: response.head.status,
                                             retryAfter: response.head.headers["Retry-After"],
                                             body: response.body, now: Date())
        } catch {
            return .retry(after: nil, reason: error.description)
        }
    }
}
