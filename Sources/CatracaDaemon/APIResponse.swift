import CatracaHTTP
import CatracaJSON

/// JSON responses of the operators' API.
enum APIResponse {
    static func json(status: Int = 200, _ body: JSONObject) -> HTTPResponse {
        var bytes = JSONWriter().bytes(.object(body))
        bytes.append(UInt8(ascii: "\n"))
        return HTTPResponse(status: status, reason: reason(for: status),
                            headers: HTTPHeaders([("Content-Type", "application/json")]), body: bytes)
    }

    /// Reason phrases for the statuses the API uses that the HTTP writer does not name.
    private static func reason(for status: Int) -> String? {
        switch status {
        case 411: return "Length Required"
        case 422: return "Unprocessable Content"
        case 429: return "Too Many Requests"
        case 502: return "Bad Gateway"
        case 504: return "Gateway Timeout"
        default: return nil
        }
    }
}
