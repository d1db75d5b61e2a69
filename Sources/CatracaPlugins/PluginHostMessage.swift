import CatracaJSON

/// What a plugin host tells the daemon, one frame each.
public enum PluginHostMessage: Equatable, Sendable {
    /// The library loaded and its ABI fits: its name, version, ABI version and the hooks it has. The daemon
    /// answers with `open`.
    case hello(name: String, version: String, abiVersion: Int, hooks: Set<PluginHook>)
    /// The library was not loaded (not a library, no entry symbol, wrong ABI, declined, open failed); the
    /// host exits after this. Loading it again will not help until the file or the settings change.
    case refused(reason: String)
    /// The plugin's `open` returned its state: calls may come.
    case opened
    /// The end of call `id`.
    case answer(id: UInt64, PluginAnswer)
    /// A log line from the plugin.
    case log(level: Int, message: String, context: [(String, String)])
    /// The plugin asks the daemon to open door `door` of terminal `sn`.
    case openDoor(sn: String, door: Int)

    public static func == (lhs: PluginHostMessage, rhs: PluginHostMessage) -> Bool {
        lhs.frame == rhs.frame
    }

    /// Reads one frame; nil for a frame of a type this daemon does not know (a newer host), which is skipped.
    public init?(frame: JSONObject) throws {
        let value = JSONValue.object(frame)
        switch frame["type"]?.string {
        case "hello":
            let hooks = (frame["hooks"]?.array ?? []).compactMap { $0.string.flatMap(PluginHook.init(rawValue:)) }
            self = .hello(name: frame["name"]?.string ?? "", version: frame["version"]?.string ?? "",
                          abiVersion: frame["abi"]?.int ?? 0, hooks: Set(hooks))
        case "refused":
            self = .refused(reason: frame["reason"]?.string ?? "no reason given")
        case "opened":
            self = .opened
        case "answer":
            guard let id = value["id"]?.int64, id >= 0 else { throw PluginHostMessageError.missing("id", in: "answer") }
            if let failure = frame["failed"]?.string {
                self = .answer(id: UInt64(id), .failed(reason: failure))
            } else if let decisionValue = frame["decision"], let decision = PluginDecision(json: decisionValue) {
                self = .answer(id: UInt64(id), .decided(decision))
            } else {
                self = .answer(id: UInt64(id), .decided(.abstain))
            }
        case "log":
            let context = (frame["context"]?.object ?? JSONObject()).map { ($0.key, $0.value.string ?? "\($0.value)") }
            self = .log(level: frame["level"]?.int ?? 1, message: frame["message"]?.string ?? "", context: context)
        case "open_door":
            guard let sn = frame["sn"]?.string else { throw PluginHostMessageError.missing("sn", in: "open_door") }
            self = .openDoor(sn: sn, door: frame["door"]?.int ?? 1)
        default:
            return nil
        }
    }

    /// The frame's object, as the host writes it.
    public var frame: JSONValue {
        switch self {
        case .hello(let name, let version, let abiVersion, let hooks):
            let names = PluginHook.allCases.filter(hooks.contains).map { JSONValue.string($0.rawValue) }
            return ["type": "hello", "name": .string(name), "version": .string(version),
                    "abi": .integer(abiVersion), "hooks": .array(names)]
        case .refused(let reason):
            return ["type": "refused", "reason": .string(reason)]
        case .opened:
            return ["type": "opened"]
        case .answer(let id, .decided(let decision)):
            return ["type": "answer", "id": .number(JSONNumber(Int64(id))), "decision": decision.json]
        case .answer(let id, .failed(let reason)):
            return ["type": "answer", "id": .number(JSONNumber(Int64(id))), "failed": .string(reason)]
        case .log(let level, let message, let context):
            var object = JSONObject()
            for (key, value) in context { object.append(key: key, value: .string(value)) }
            return ["type": "log", "level": .integer(level), "message": .string(message), "context": .object(object)]
        case .openDoor(let sn, let door):
            return ["type": "open_door", "sn": .string(sn), "door": .integer(door)]
        }
    }
}

/// A host frame that lacks what its type needs; the stream is taken as corrupt.
public enum PluginHostMessageError: Error, CustomStringConvertible {
    case missing(String, in: String)

    public var description: String {
        switch self {
        case .missing(let key, let type): return "\(type) frame has no \(key)"
        }
    }
}

/// What the daemon tells a plugin host.
public enum PluginDaemonMessage: Equatable, Sendable {
    /// The answer to `hello`: the plugin's settings (a JSON object text), its key-value store's file, and the
    /// site's time zone (nil: the box's).
    case open(settingsJSON: String, storePath: String, timeZone: String?)
    /// Call `hook` with `arguments`; the host answers with `answer` and the same id.
    case call(id: UInt64, hook: PluginHook, arguments: JSONValue)

    public var frame: JSONValue {
        switch self {
        case .open(let settings, let store, let timeZone):
            return ["type": "open", "settings": .string(settings), "store": .string(store),
                    "time_zone": timeZone.map(JSONValue.string) ?? .null]
        case .call(let id, let hook, let arguments):
            return ["type": "call", "id": .number(JSONNumber(Int64(id))), "hook": .string(hook.rawValue),
                    "args": arguments]
        }
    }

    /// Reads one frame; nil for a type this host does not know.
    public init?(frame: JSONObject) {
        let value = JSONValue.object(frame)
        switch frame["type"]?.string {
        case "open":
            self = .open(settingsJSON: frame["settings"]?.string ?? "{}", storePath: frame["store"]?.string ?? "",
                         timeZone: frame["time_zone"]?.string)
        case "call":
            guard let id = value["id"]?.int64, let hook = frame["hook"]?.string.flatMap(PluginHook.init(rawValue:))
            else { return nil }
            self = .call(id: UInt64(id), hook: hook, arguments: frame["args"] ?? .object(JSONObject()))
        default:
            return nil
        }
    }
}
