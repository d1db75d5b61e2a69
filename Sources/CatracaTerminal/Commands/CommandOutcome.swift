import CatracaJSON

/// How a command that did not fail ended.
public enum CommandOutcome: Equatable, Sendable {
    /// The terminal answered; the reply as the terminal sent it (merged over pages for paged commands).
    case replied(JSONObject)
    /// The command was written and no reply was expected, or none came within the short wait of a command
    /// whose reply the protocol leaves undocumented.
    case sent
}

/// Why a command did not reach a result. Each case has a stable `code` for the API and scripts.
public enum CommandFailure: Error, Equatable, Sendable {
    /// No terminal with this serial number has ever registered.
    case terminalUnknown(sn: String)
    /// The terminal is known but not connected now.
    case terminalOffline(sn: String)
    /// The connection dropped while the command waited its turn or its reply.
    case disconnected(sn: String)
    /// No reply within the timeout.
    case timeout(sn: String, seconds: Double)
    /// The terminal answered `result:false`; `text` says why in words.
    case refused(sn: String, reason: JSONValue?, text: String, reply: JSONObject)
    /// The terminal's answers cannot be followed (a listing that never ends, a reply without its fields).
    case protocolError(sn: String, detail: String)
    /// Too many commands already wait for this terminal.
    case queueFull(sn: String, limit: Int)
    /// Records a listing brought back could not be stored.
    case storeUnavailable(sn: String, detail: String)

    /// A stable identifier for scripts and the API.
    public var code: String {
        switch self {
        case .terminalUnknown: return "terminal_unknown"
        case .terminalOffline: return "terminal_offline"
        case .disconnected: return "terminal_disconnected"
        case .timeout: return "terminal_timeout"
        case .refused: return "terminal_refused"
        case .protocolError: return "terminal_protocol_error"
        case .queueFull: return "queue_full"
        case .storeUnavailable: return "store_unavailable"
        }
    }

    /// One sentence for an operator: what failed, for which terminal, and what to do.
    public var message: String {
        switch self {
        case .terminalUnknown(let sn):
            return "terminal \(sn) has never registered with this daemon; check the serial number"
        case .terminalOffline(let sn):
            return "terminal \(sn) is not connected; check its network and that it points at this box"
        case .disconnected(let sn):
            return "terminal \(sn) disconnected before answering; the command may or may not have been carried out"
        case .timeout(let sn, let seconds):
            return "terminal \(sn) did not answer within \(CommandFailure.format(seconds)) s; "
                + "it may be busy, or its firmware may not know this command"
        case .refused(let sn, _, let text, _):
            return "terminal \(sn) refused: \(text)"
        case .protocolError(let sn, let detail):
            return "terminal \(sn) answered in a way that cannot be followed: \(detail)"
        case .queueFull(let sn, let limit):
            return "terminal \(sn) already has \(limit) commands waiting; try again when they are done"
        case .storeUnavailable(let sn, let detail):
            return "records from terminal \(sn) could not be stored: \(detail)"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
