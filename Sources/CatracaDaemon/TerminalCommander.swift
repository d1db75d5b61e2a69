import CatracaCore
import CatracaTerminal

/// What the operators' API needs from the terminal gateway. Called on the event loop; completions
/// run on the event loop.
protocol TerminalCommander: AnyObject {
    /// Queues `command` for terminal `sn`; the completion gets the reply, `.sent`, or why not.
    /// `replyTimeout` nil uses the configured one. Returns a ticket to `cancel` the command with while it
    /// waits, nil when it finished at once (refused, or the terminal is offline).
    @discardableResult
    func execute(_ command: TerminalCommand, sn: String, replyTimeout: TimeSpan?,
                 completion: @escaping (Result<CommandOutcome, CommandFailure>) -> Void) -> CommandTicket?
    /// The caller of `ticket` has gone: a command not sent yet is withdrawn and its completion never called;
    /// one already sent runs on (the terminal may act on it) and its result is dropped by the caller.
    func cancel(_ ticket: CommandTicket)
    /// Serial numbers of the terminals connected now, sorted.
    var connectedSerialNumbers: [String] { get }
    /// Commands waiting for terminal `sn`, the one being answered included.
    func queuedCommandCount(sn: String) -> Int
}

/// Names one command queued for one terminal, to withdraw it when its caller goes away.
struct CommandTicket: Hashable {
    let sn: String
    /// The command runner of the connection it was queued on; a later connection's tickets start again at 1.
    let runner: UInt64
    let ticket: CommandQueue.Ticket
}
