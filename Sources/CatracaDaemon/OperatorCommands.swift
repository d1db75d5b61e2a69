import CatracaCore
import CatracaJSON
import CatracaTerminal
import Foundation

/// What the operators' API needs from the command model: building a command from an operator's params,
/// a raw message, and the reply as the operator sees it. Errors come out as the API's.
///
/// The API takes it as a value so that its routes can be tested with commands of their own.
struct OperatorCommands {
    /// The command `name` with `params`; throws an `APIError` (`unknown_command`, `invalid_command`).
    var make: (_ name: String, _ params: JSONObject) throws -> TerminalCommand
    /// A message sent exactly as given; `expectReply` false counts it as done once written.
    var raw: (_ message: JSONObject, _ expectReply: Bool) throws -> TerminalCommand
    /// The reply as the operator sees it (canonical spellings, numbers as numbers).
    var normalize: (_ command: TerminalCommand, _ reply: JSONObject) -> JSONObject

    /// The protocol's commands (`TerminalCommand.make`, `.raw`, `CommandReplies.normalize`). `settime` without
    /// `cloudtime` sets the site's time now, read from `wallClock`.
    static func protocolCommands(siteTime: SiteTime, wallClock: @escaping () -> Date) -> OperatorCommands {
        OperatorCommands(
            make: { name, params in
                var params = params
                if name == "settime" && params["cloudtime"] == nil {
                    params["cloudtime"] = .string(siteTime.format(wallClock()))
                }
                return try translatingErrors { try TerminalCommand.make(name: name, params: params) }
            },
            raw: { message, expectReply in
                try translatingErrors { try TerminalCommand.raw(message: message, expectReply: expectReply) }
            },
            normalize: { command, reply in CommandReplies.normalize(command: command.name, reply: reply) }
        )
    }

    /// The command model's errors as the API answers them.
    static func translatingErrors(_ build: () throws -> TerminalCommand) throws -> TerminalCommand {
        do {
            return try build()
        } catch let error as CommandValidationError {
            throw APIError(status: 400, code: "invalid_command", message: error.description,
                           extra: ["field": .string(error.field)])
        } catch let error as UnknownCommandError {
            throw APIError(status: 400, code: "unknown_command", message: error.description)
        }
    }
}
