import CatracaCore
import CatracaStore
import Foundation

/// What an HTTP answer means for a batch: 2xx delivered; 408, 429 and 5xx retry (after `Retry-After` when
/// given); any other status parks the batch with the status and the start of the body.
public enum HTTPDeliveryPolicy {
    /// How much of a refusal's body is kept for the operator.
    public static let keptBodyBytes = 512

    public static func result(status: Int, retryAfter: String?, body: [UInt8], now: Date) -> DeliveryResult {
        switch status {
        case 200..<300:
            return .delivered
        case 408, 429, 500..<600:
            let delay = retryAfter.flatMap { RetryAfter.parse($0, now: now) }
            return .retry(after: delay, reason: "HTTP \(status)" + bodySuffix(body))
        default:
            return .park(reason: "HTTP \(status)" + bodySuffix(body))
        }
    }

    /// `: <body>` cut to `keptBodyBytes`, on one line; empty for an empty body.
    private static func bodySuffix(_ body: [UInt8]) -> String {
        guard !body.isEmpty else { return "" }
        let cut = body.prefix(keptBodyBytes)
        var text = String(decoding: cut, as: UTF8.self)
            .replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if body.count > keptBodyBytes { text += "…" }
        return ": " + text
    }
}
