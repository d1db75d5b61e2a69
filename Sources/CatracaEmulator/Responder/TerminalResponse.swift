import CatracaCore
import CatracaJSON

/// What the emulated terminal sends in answer to one server command.
public struct TerminalResponse: Equatable, Sendable {
    /// Messages to send in order: a pushed `sendlog` first (quirk `sendlog-before-reply`), then the
    /// reply. Empty for `reboot`, and for every command under `no-reply`.
    public var messages: [JSONValue] = []
    /// Wait this long before sending (quirk `slow-reply`).
    public var delay = TimeSpan.zero
    /// The terminal restarts after this command (`reboot`): it drops the connection, as a real one does,
    /// and connects and registers again.
    public var restarts = false

    public init(messages: [JSONValue] = [], delay: TimeSpan = .zero, restarts: Bool = false) {
        self.messages = messages
        self.delay = delay
        self.restarts = restarts
    }

    /// The reply itself (the last message that is not a pushed `sendlog`), if any.
    public var reply: JSONValue? {
        messages.last { $0["cmd"]?.string != "sendlog" }
    }
}
