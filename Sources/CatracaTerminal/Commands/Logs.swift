import CatracaJSON

/// `getnewlog`: the records the terminal holds that no server has fetched yet, paged (`stn`).
public struct GetNewLog: CommandRequest {
    public static let commandName = "getnewlog"

    public init() {}

    public init(params: JSONObject) throws(CommandValidationError) {
        _ = try OperatorParams(params, fields: [])
    }

    public var fields: JSONObject { JSONObject() }
}

/// `getalllog`: every record between two dates (inclusive), paged (`stn`).
///
/// Both dates are required: the protocol defines the request with them, and what a terminal does without
/// them is not documented.
public struct GetAllLog: CommandRequest {
    public static let commandName = "getalllog"

    /// `YYYY-MM-DD`.
    public var from: String
    /// `YYYY-MM-DD`, not before `from`.
    public var to: String

    public init(params: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(params, fields: ["from", "to"])
        from = try params.required("from", params.date("from"), because: "(the first day, YYYY-MM-DD)")
        to = try params.required("to", params.date("to"), because: "(the last day, YYYY-MM-DD)")
        try params.ordered("from", from, "to", to)
    }

    public var fields: JSONObject { ["from": .string(from), "to": .string(to)] }
}

/// `cleanlog`: removes every record from the terminal.
public struct CleanLog: CommandRequest {
    public static let commandName = "cleanlog"

    public init(params: JSONObject) throws(CommandValidationError) {
        _ = try OperatorParams(params, fields: [])
    }

    public var fields: JSONObject { JSONObject() }
}
