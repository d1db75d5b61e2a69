/// The CLI's exit codes (contract section 3), so that scripts tell a refusal from an unreachable terminal.
public enum ExitCode {
    public static let success: Int32 = 0
    /// API unreachable, unauthorized, store or queue trouble: anything not below.
    public static let failure: Int32 = 1
    /// The command line or the params are wrong.
    public static let usage: Int32 = 2
    /// The terminal answered `result:false`.
    public static let refused: Int32 = 3
    /// The terminal is unknown, offline, or disconnected while the command waited; the turnstile is unknown, or
    /// its input is real GPIO and cannot be pulsed by hand.
    public static let terminalUnavailable: Int32 = 4
    /// The terminal did not answer in time.
    public static let timeout: Int32 = 5
    /// The terminal's answers could not be followed.
    public static let protocolError: Int32 = 6

    /// The exit code for an API error code (`terminal_refused`, ...); unknown codes are failures.
    public static func forErrorCode(_ code: String?) -> Int32 {
        switch code {
        case "invalid_request", "invalid_command", "unknown_command": return usage
        case "terminal_refused": return refused
        case "terminal_unknown", "terminal_offline", "terminal_disconnected", "turnstile_unknown",
             "turnstile_not_simulated":
            return terminalUnavailable
        case "terminal_timeout": return timeout
        case "terminal_protocol_error": return protocolError
        // The API's HTTP server refused the connection or request itself: a failure, not a usage error.
        case "server_busy", "request_timeout", "body_too_large", "headers_too_large": return failure
        default: return failure
        }
    }
}
