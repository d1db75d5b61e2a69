import CatracaJSON

/// `getusername`: one user's name (the reply's `record`).
public struct GetUserName: CommandRequest {
    public static let commandName = "getusername"

    public var enrollid: Int

    public init(params: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(params, fields: ["enrollid"])
        enrollid = try params.required("enrollid", params.integer("enrollid", .enrollid))
    }

    public var fields: JSONObject { ["enrollid": .integer(enrollid)] }
}

/// `setusername`: names several users at once; `count` is computed from the list.
public struct SetUserName: CommandRequest {
    public static let commandName = "setusername"

    /// One user's new name.
    public struct Entry: Equatable, Sendable {
        public var enrollid: Int
        public var name: String
    }

    public var entries: [Entry]

    public init(params: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(params, fields: ["record"])
        let record = try params.required("record", params.array("record"), because: "(a list of {enrollid, name})")
        guard !record.isEmpty else { throw params.error("record", "is empty; give at least one {enrollid, name}") }

        var entries: [Entry] = []
        for (index, value) in record.enumerated() {
            let entry = try OperatorParams(entry: value, fields: ["enrollid", "name"], at: "record[\(index)]")
            let enrollid = try entry.required("enrollid", entry.integer("enrollid", .enrollid))
            let name = try entry.required("name", entry.text("name", maxLength: CommandLimits.maxNameLength))
            entries.append(Entry(enrollid: enrollid, name: name))
        }
        self.entries = entries
    }

    public var fields: JSONObject {
        let record = entries.map { entry -> JSONValue in
            ["enrollid": .integer(entry.enrollid), "name": .string(entry.name)]
        }
        return ["count": .integer(entries.count), "record": .array(record)]
    }
}
