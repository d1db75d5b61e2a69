import CatracaHTTP
import CatracaJSON
import CatracaStore

/// `GET /v1/terminals`, `GET /v1/terminals/{sn}`: the terminals the store knows, and which are connected.
extension OperatorAPI {
    func terminals(respond: @escaping (HTTPResponse) -> Void) {
        reads.read({ try $0.terminals() }) { [self] result in
            switch result {
            case .success(let stored):
                respond(APIResponse.json(["terminals": .array(listing(stored).map(JSONValue.object))]))
            case .failure(let error):
                respond(OperatorAPI.readFailure(error).response)
            }
        }
    }

    func terminal(sn: String, respond: @escaping (HTTPResponse) -> Void) {
        reads.read({ try $0.terminals() }) { [self] result in
            switch result {
            case .success(let stored):
                guard let entry = listing(stored).first(where: { $0["sn"]?.string == sn }) else {
                    return respond(APIError(.terminalUnknown(sn: sn), normalize: { $0 }).response)
                }
                respond(APIResponse.json(entry))
            case .failure(let error):
                respond(OperatorAPI.readFailure(error).response)
            }
        }
    }

    /// Every stored terminal, plus any connected one whose registration is not stored yet, by serial number.
    private func listing(_ stored: [StoredTerminal]) -> [JSONObject] {
        let connected = Set(commander.connectedSerialNumbers)
        let storedNumbers = Set(stored.map(\.sn))
        var entries = stored.map { terminal -> JSONObject in
            let devinfo = terminal.devinfoJSON.flatMap { try? JSONReader().parse(Array($0.utf8)) }
            return entry(sn: terminal.sn, connected: connected.contains(terminal.sn),
                         address: .string(terminal.address), lastSeen: .string(terminal.lastSeen),
                         registeredAt: .string(terminal.firstSeen),
                         devinfo: devinfo?.object.map(JSONValue.object) ?? .null)
        }
        for sn in connected.subtracting(storedNumbers) {
            entries.append(entry(sn: sn, connected: true, address: .null, lastSeen: .null, registeredAt: .null,
                                 devinfo: .null))
        }
        return entries.sorted { ($0["sn"]?.string ?? "") < ($1["sn"]?.string ?? "") }
    }

    private func entry(sn: String, connected: Bool, address: JSONValue, lastSeen: JSONValue, registeredAt: JSONValue,
                       devinfo: JSONValue) -> JSONObject {
        [
            "sn": .string(sn), "connected": .bool(connected), "address": address, "last_seen": lastSeen,
            "registered_at": registeredAt, "devinfo": devinfo,
            "queued_commands": .integer(commander.queuedCommandCount(sn: sn)),
        ]
    }
}
