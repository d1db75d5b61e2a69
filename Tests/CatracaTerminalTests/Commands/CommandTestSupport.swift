import CatracaJSON
import Testing
@testable import CatracaTerminal

/// JSON text as an object (the tests write params and replies as the operator and the terminal would).
func jsonObject(_ text: String) throws -> JSONObject {
    try #require(try JSONReader().parse(text).object)
}

/// The message `make` encodes for operator params, as compact JSON text.
func encoded(_ name: String, _ params: String = "{}") throws -> String {
    JSONValue.object(try TerminalCommand.make(name: name, params: try jsonObject(params)).message()).description
}

/// The validation error `make` throws for operator params; nil when they are accepted.
func refusal(_ name: String, _ params: String) throws -> CommandValidationError? {
    do {
        _ = try TerminalCommand.make(name: name, params: try jsonObject(params))
        return nil
    } catch let error as CommandValidationError {
        return error
    }
}

/// The normalized reply as compact JSON text.
func normalized(_ command: String, _ reply: String) throws -> String {
    JSONValue.object(CommandReplies.normalize(command: command, reply: try jsonObject(reply))).description
}
