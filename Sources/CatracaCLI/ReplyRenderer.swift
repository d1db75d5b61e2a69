import CatracaJSON

/// Turns the API's JSON into text for a person: fields as `key: value` lines, listings as tables.
public enum ReplyRenderer {
    /// A command's result `{"sn", "command", "outcome", "reply"}` shown as `presentation` says.
    public static func commandResult(_ result: JSONObject, presentation: Presentation) -> String {
        let sn = result["sn"]?.string ?? "?"
        let command = result["command"]?.string ?? "the command"
        guard result["outcome"]?.string != "sent" else {
            return "sent \(command) to \(sn); the terminal gives no reply to it\n"
        }
        let reply = result["reply"]?.object ?? JSONObject()
        switch presentation {
        case .users: return users(reply)
        case .logs: return logs(reply)
        case .fields, .credential: return reply.isEmpty ? "\(command) done on \(sn)\n" : fields(reply)
        }
    }

    /// Every member as `key: value`, nested objects flattened as `parent.child`, lists as compact JSON.
    public static func fields(_ object: JSONObject) -> String {
        TextTable(rows: flattened(object, prefix: "").map { [$0.0 + ":", $0.1] }).render()
    }

    /// A getuserlist listing: one row per user, their credentials named, in the terminal's order.
    public static func users(_ reply: JSONObject) -> String {
        var order: [String] = []
        var admin: [String: String] = [:]
        var credentials: [String: [String]] = [:]
        for entry in (reply["record"]?.array ?? []).compactMap(\.object) {
            let id = entry["enrollid"].map(cell) ?? "?"
            if credentials[id] == nil {
                order.append(id)
                credentials[id] = []
            }
            admin[id] = entry["admin"].map(cell) ?? "-"
            if let slot = entry["backupnum"]?.int { credentials[id]?.append(CredentialName.name(slot)) }
        }
        let rows = order.map { [$0, admin[$0] ?? "-", credentials[$0, default: []].joined(separator: ",")] }
        let table = TextTable(header: ["ENROLLID", "ADMIN", "CREDENTIALS"], rows: rows).render()
        return table + "\(order.count) users\n"
    }

    /// A getnewlog/getalllog listing: one row per record, then what the store made of them.
    public static func logs(_ reply: JSONObject) -> String {
        let columns = ["enrollid", "time", "mode", "inout", "event", "verifymode", "temp", "name", "has_image"]
        let entries = (reply["record"]?.array ?? []).compactMap(\.object)
        let rows = entries.map { entry in columns.map { entry[$0].map(cell) ?? "-" } }
        var text = TextTable(header: columns.map { $0 == "has_image" ? "IMAGE" : $0.uppercased() }, rows: rows).render()
        text += "\(entries.count) records"
        if let stored = reply["stored"]?.object {
            let parts = ["new", "duplicates", "quarantined"].map { "\($0) \(stored[$0].map(cell) ?? "0")" }
            text += "; stored: " + parts.joined(separator: ", ")
        }
        return text + "\n"
    }

    /// Records of `GET /v1/records`, one row each.
    public static func records(_ records: [JSONValue]) -> String {
        let columns = ["id", "sn", "enrollid", "time", "mode", "inout", "event", "verifymode", "name", "has_photo"]
        let rows = records.compactMap(\.object).map { record in columns.map { record[$0].map(cell) ?? "-" } }
        let header = columns.map { $0 == "has_photo" ? "PHOTO" : $0.uppercased() }
        return TextTable(header: header, rows: rows).render() + "\(rows.count) records\n"
    }

    /// The turnstiles of `GET /v1/turnstiles`.
    public static func turnstiles(_ turnstiles: [JSONValue]) -> String {
        let rows = turnstiles.compactMap(\.object).map { turnstile in
            [turnstile["name"].map(cell) ?? "?", turnstile["in_direction"].map(cell) ?? "-",
             list(turnstile["entry"]), list(turnstile["exit"]), turnstile["input"].map(cell) ?? "-"]
        }
        let header = ["NAME", "IN", "ENTRY", "EXIT", "INPUT"]
        return TextTable(header: header, rows: rows).render() + "\(rows.count) turnstiles\n"
    }

    /// Passages of `GET /v1/passages`, one row each.
    public static func passages(_ passages: [JSONValue]) -> String {
        let columns = ["id", "turnstile", "outcome", "direction", "side", "sn", "enrollid", "record_time",
                       "turned_at", "closed_at"]
        let rows = passages.compactMap(\.object).map { passage in columns.map { passage[$0].map(cell) ?? "-" } }
        let header = columns.map { $0.replacingOccurrences(of: "_", with: " ").uppercased() }
        return TextTable(header: header, rows: rows).render() + "\(rows.count) passages\n"
    }

    /// Serial numbers as `a,b`, `-` for none.
    private static func list(_ value: JSONValue?) -> String {
        let items = (value?.array ?? []).map(cell)
        return items.isEmpty ? "-" : items.joined(separator: ",")
    }

    /// The terminals of `GET /v1/terminals`.
    public static func terminals(_ list: JSONObject) -> String {
        let terminals = (list["terminals"]?.array ?? []).compactMap(\.object)
        let rows = terminals.map { terminal in
            [terminal["sn"].map(cell) ?? "?", terminal["connected"]?.bool == true ? "yes" : "no",
             terminal["address"].map(cell) ?? "-", terminal["last_seen"].map(cell) ?? "-",
             terminal["queued_commands"].map(cell) ?? "0"]
        }
        let header = ["SN", "CONNECTED", "ADDRESS", "LAST SEEN", "QUEUED"]
        return TextTable(header: header, rows: rows).render() + "\(rows.count) terminals\n"
    }

    /// The per-terminal results of a command sent to every connected terminal.
    public static func fleetResults(_ results: [JSONObject]) -> String {
        guard !results.isEmpty else { return "no terminal is connected; nothing was sent\n" }
        let rows = results.map { result -> [String] in
            let sn = result["sn"].map(cell) ?? "?"
            guard result["ok"]?.bool == true else {
                let error = APIErrorBody(errorObject: result["error"]?.object ?? JSONObject())
                return [sn, error.code ?? "error", error.sentence]
            }
            if result["outcome"]?.string == "sent" { return [sn, "sent", "-"] }
            let reply = result["reply"]?.object ?? JSONObject()
            return [sn, "ok", flattened(reply, prefix: "").map { "\($0.0)=\($0.1)" }.joined(separator: " ")]
        }
        return TextTable(header: ["SN", "RESULT", "DETAIL"], rows: rows).render()
    }

    /// A value as one table cell: text as is, numbers as written, null as `-`, lists and objects as JSON.
    public static func cell(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return number.text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "-"
        case .array, .object: return JSONWriter().text(value)
        }
    }

    private static func flattened(_ object: JSONObject, prefix: String) -> [(String, String)] {
        object.flatMap { member -> [(String, String)] in
            let key = prefix + member.key
            if case .object(let nested) = member.value, !nested.isEmpty {
                return flattened(nested, prefix: key + ".")
            }
            return [(key, cell(member.value))]
        }
    }
}
