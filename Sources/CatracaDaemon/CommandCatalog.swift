import CatracaJSON
import CatracaTerminal

/// What the operators' API needs from the command model: building a command from an operator's
/// params, a raw message, and turning a terminal's reply into the operator's JSON.
///
/// The API takes it as a value so that its routes can be tested with a small catalog of their own.
struct CommandCatalog {
    /// The command `name` with `params`; throws an `APIError` (`unknown_command`, `invalid_command` with
    /// `field`) when it cannot be built.
    var make: (_ name: String, _ params: JSONObject) throws -> TerminalCommand
    /// A message sent exactly as given; `expectReply` false counts it as done once written.
    var raw: (_ message: JSONObject, _ expectReply: Bool) -> TerminalCommand
    /// The reply as the operator sees it (canonical spellings, numbers as numbers).
    var normalize: (_ command: TerminalCommand, _ reply: JSONObject) -> JSONObject
}
