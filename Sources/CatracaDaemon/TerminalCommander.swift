import CatracaCore
import CatracaTerminal

/// What the operators' API needs from the terminal gateway. Called on the event loop; completions
/// run on the event loop.
protocol TerminalCommander: AnyObject {
    /// Queues `command` for terminal `sn`; the completion gets the reply, `.sent`, or why not.
    /// `replyTimeout` nil uses the configured one.
    func execute(_ command: TerminalCommand, sn: String, replyTimeout: TimeSpan?,
                 completion: @escaping (Result<CommandOutcome, CommandFailure>) -> Void)
    /// Serial numbers of the terminals connected now, sorted.
    var connectedSerialNumbers: [String] { get }
    /// Commands waiting for terminal `sn`, the one being answered included.
    func queuedCommandCount(sn: String) -> Int
}
