import CatracaJSON

/// One message from a terminal: a request (`"cmd"`) or a reply to a server command (`"ret"`).
public struct TerminalMessage: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The terminal asks (`"cmd"`), e.g. `reg`, `sendlog`.
        case request
        /// The terminal answers a command the server sent (`"ret"`).
        case reply
    }

    public var kind: Kind
    /// The command name, e.g. `sendlog`.
    public var name: String
    /// The whole message.
    public var body: JSONObject

    public init(kind: Kind, name: String, body: JSONObject) {
        self.kind = kind
        self.name = name
        self.body = body
    }

    /// The terminal's serial number when the message names one (firmware 1.3 and later always does).
    public var sn: String? {
        guard let text = body["sn"]?.string?.trimmingASCIIBlanks(), !text.isEmpty else { return nil }
        return text
    }

    /// Reads a text message. `"cmd"` wins when a message carries both `"cmd"` and `"ret"`.
    public static func decode(_ text: [UInt8], reader: JSONReader = JSONReader()) throws -> TerminalMessage {
        let value: JSONValue
        do {
            value = try reader.parse(text)
        } catch let error as JSONError {
            throw TerminalMessageError.malformedJSON(error)
        }

        guard let body = value.object else { throw TerminalMessageError.notAnObject }
        if let name = body["cmd"]?.string, !name.isEmpty {
            return TerminalMessage(kind: .request, name: name, body: body)
        }
        if let name = body["ret"]?.string, !name.isEmpty {
            return TerminalMessage(kind: .reply, name: name, body: body)
        }
        throw TerminalMessageError.noCommand
    }
}

/// Why a text message is not a terminal message.
public enum TerminalMessageError: Error, Equatable, CustomStringConvertible {
    case malformedJSON(JSONError)
    case notAnObject
    case noCommand

    public var description: String {
        switch self {
        case .malformedJSON(let error): return "message is not JSON: \(error)"
        case .notAnObject: return "message is JSON but not an object"
        case .noCommand: return "message has neither \"cmd\" nor \"ret\" naming a command"
        }
    }
}
