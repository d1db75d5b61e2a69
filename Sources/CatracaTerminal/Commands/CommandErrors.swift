/// An operator's params for a command that cannot be sent as given.
///
/// `field` names the member at fault as a path into the params (`backupnum`, `record[2].name`,
/// `dayzone[1].day[0].section`); `message` says why and what is allowed.
public struct CommandValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The member at fault, as a path into the params; `params` when the object as a whole is wrong.
    public var field: String
    /// Why the value cannot be sent, e.g. `13 is not a credential slot (0-9 fingerprint, ...)`.
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// `field: message`, e.g. `backupnum: 13 is not a credential slot (0-9 fingerprint, 10 password, ...)`.
    public var description: String { "\(field): \(message)" }
}

/// A command name that is not one of the server→terminal commands the daemon models.
public struct UnknownCommandError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The name as the operator gave it.
    public var name: String

    public init(name: String) {
        self.name = name
    }

    public var description: String {
        "unknown command \"\(name)\"; known commands: \(TerminalCommand.knownNames.joined(separator: ", ")); "
            + "to send a command the daemon does not model, use the raw passthrough"
    }
}
