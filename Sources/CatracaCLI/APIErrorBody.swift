import CatracaJSON

/// The API's error object, `{"error": {"code", "message", ...extra}}`, read from a response or from one
/// entry of a fleet result.
public struct APIErrorBody: Equatable, Sendable {
    public var code: String?
    public var message: String
    public var extra: JSONObject

    public init(code: String?, message: String, extra: JSONObject = JSONObject()) {
        self.code = code
        self.message = message
        self.extra = extra
    }

    /// Reads `{"code", "message", ...}`.
    public init(errorObject: JSONObject) {
        self.init(code: errorObject["code"]?.string, message: errorObject["message"]?.string ?? "no message",
                  extra: errorObject)
    }

    /// The error of a failed response; a body that is not the API's error object is described by its status.
    public init(response: APIResponse) {
        if let object = response.json?["error"]?.object {
            self.init(errorObject: object)
            return
        }
        let text = response.text.prefix(200)
        self.init(code: nil, message: "the API answered HTTP \(response.status)" + (text.isEmpty ? "" : ": \(text)"))
    }

    /// The exit code for this error.
    public var exitCode: Int32 { ExitCode.forErrorCode(code) }

    /// One line for a person: a refusal as a sentence with its reason in words, anything else as the API's
    /// message with its code.
    public var sentence: String {
        if code == "terminal_refused", let text = extra["reason_text"]?.string {
            // The generic text already names the reason; the words for a known one do not.
            let given = extra["reason"].map { " (reason \($0.string ?? "\($0)"))" } ?? ""
            let reason = text.contains("reason") ? "" : given
            let sn = extra["sn"]?.string.map { "terminal \($0)" } ?? "the terminal"
            return "\(sn) refused: \(text)\(reason)"
        }
        var line = message
        if let field = extra["field"]?.string, !line.contains(field) { line = "\(field): \(line)" }
        return code.map { "\(line) [\($0)]" } ?? line
    }
}
