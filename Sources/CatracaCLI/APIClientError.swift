/// Why a call to the operators' API did not produce a response.
public enum APIClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The base URL is not `http://HOST:PORT`.
    case invalidBaseURL(String)
    /// The host name could not be resolved.
    case unresolvable(host: String, detail: String)
    /// No connection could be made (nothing listens, refused, unreachable, or no answer in time).
    case unreachable(address: String, detail: String)
    /// The connection broke while the request was sent or the response read.
    case connectionLost(address: String, detail: String)
    /// The response did not arrive within the read timeout.
    case timedOut(address: String, seconds: Double)
    /// The bytes that came back are not an HTTP response this client can read.
    case malformedResponse(address: String, detail: String)

    public var description: String {
        switch self {
        case .invalidBaseURL(let text):
            return "API address \"\(text)\" is not http://HOST:PORT (e.g. http://127.0.0.1:7793)"
        case .unresolvable(let host, let detail):
            return "cannot resolve the API host \(host): \(detail)"
        case .unreachable(let address, let detail):
            return "cannot reach the API at \(address): \(detail); is the daemon running with its API enabled?"
        case .connectionLost(let address, let detail):
            return "the connection to the API at \(address) broke: \(detail)"
        case .timedOut(let address, let seconds):
            return "the API at \(address) did not answer within \(Int(seconds)) s; raise --read-timeout if a "
                + "long listing is expected"
        case .malformedResponse(let address, let detail):
            return "the API at \(address) sent a response that cannot be read: \(detail)"
        }
    }
}
