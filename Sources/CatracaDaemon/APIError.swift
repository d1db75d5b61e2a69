import CatracaHTTP
import CatracaJSON
import CatracaTerminal

/// An error as the operators' API answers it: `{"error": {"code", "message", ...extra}}` with its status.
///
/// The codes and statuses are those of the API contract (docs/api/openapi.yaml); scripts rely on them.
struct APIError: Error, Equatable {
    var status: Int
    var code: String
    var message: String
    /// Members added after `code` and `message` (`field`, `reason`, `timeout_seconds`, ...).
    var extra = JSONObject()

    static func invalidRequest(_ message: String) -> APIError {
        APIError(status: 400, code: "invalid_request", message: message)
    }

    static func notFound(method: String, path: String) -> APIError {
        APIError(status: 404, code: "not_found", message: "no endpoint \(method) \(path); see docs/api/openapi.yaml")
    }

    static let unauthorized = APIError(
        status: 401, code: "unauthorized",
        message: "missing or wrong bearer token; send Authorization: Bearer <token> with the token from "
            + "api.token or api.tokenFile")

    /// A request the HTTP server itself refused (too many connections, too slow, too large, unparsable), with a
    /// code per kind so that scripts can tell "try later" from "fix the request".
    static func serverRefusal(status: Int, message: String) -> APIError {
        let code: String
        switch status {
        case 503: code = "server_busy"
        case 408: code = "request_timeout"
        case 413: code = "body_too_large"
        case 431: code = "headers_too_large"
        default: code = "invalid_request"
        }
        return APIError(status: status, code: code, message: message)
    }

    static func storeUnavailable(_ detail: String) -> APIError {
        APIError(status: 503, code: "store_unavailable", message: "the store could not be read: \(detail)")
    }

    /// The error for a command that failed; a refusal carries the terminal's reply, normalized by `normalize`.
    init(_ failure: CommandFailure, normalize: (JSONObject) -> JSONObject) {
        code = failure.code
        message = failure.message
        switch failure {
        case .terminalUnknown:
            status = 404
        case .terminalOffline:
            status = 409
        case .disconnected, .protocolError:
            status = 502
        case .timeout(_, let seconds):
            status = 504
            extra["timeout_seconds"] = .double(seconds)
        case .refused(_, let reason, let text, let reply):
            status = 422
            extra["reason"] = reason ?? .null
            extra["reason_text"] = .string(text)
            extra["reply"] = .object(normalize(reply))
        case .queueFull:
            status = 429
        case .storeUnavailable:
            status = 503
        }
    }

    init(status: Int, code: String, message: String, extra: JSONObject = JSONObject()) {
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra
    }

    /// The `{"code", "message", ...}` object, as it also appears in a broadcast's per-terminal results.
    var object: JSONObject {
        var object: JSONObject = ["code": .string(code), "message": .string(message)]
        for member in extra { object.append(key: member.key, value: member.value) }
        return object
    }

    var response: HTTPResponse {
        var response = APIResponse.json(status: status, ["error": .object(object)])
        if status == 401 { response.headers.add(name: "WWW-Authenticate", value: "Bearer") }
        return response
    }
}
