import CatracaJSON

/// `enablewebrtc` (section 4.1): turns the terminal's intercom and camera monitoring on or off and gives it the
/// STUN and TURN servers. The terminal answers `{"ret":"enablewebrtc","result":true}`.
///
/// The daemon fills in the servers and credentials from `intercom` in the site config when the operator gives none.
public struct EnableWebRTC: CommandRequest {
    public static let commandName = "enablewebrtc"

    public var intercom: Bool
    public var monitor: Bool
    /// 0 the default number, 1 the enroll number, 2 a phone number, 3 an apartment number.
    public var inputmode: Int
    public var stunserver: String?
    public var turnserver: String?
    public var turnusername: String?
    public var turnpassword: String?

    static let fieldNames = ["intercom", "monitor", "inputmode", "stunserver", "turnserver", "turnusername",
                             "turnpassword"]

    public init(params: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(params, fields: EnableWebRTC.fieldNames)
        intercom = try params.boolean("intercom") ?? true
        monitor = try params.boolean("monitor") ?? true
        inputmode = try params.integer("inputmode", .range(0...3, "0 default number, 1 enrollid, 2 phone number, "
                                                           + "3 apartment")) ?? 1
        stunserver = try params.text("stunserver", maxLength: 256)
        turnserver = try params.text("turnserver", maxLength: 256)
        turnusername = try params.text("turnusername", maxLength: 256)
        turnpassword = try params.text("turnpassword", maxLength: 256)
        if let stunserver, !stunserver.isEmpty, !stunserver.hasPrefix("stun:") {
            throw params.error("stunserver", "\"\(stunserver.prefix(40))\" does not start with stun:")
        }
        if let turnserver, !turnserver.isEmpty, !turnserver.hasPrefix("turn:") && !turnserver.hasPrefix("turns:") {
            throw params.error("turnserver", "\"\(turnserver.prefix(40))\" does not start with turn: or turns:")
        }
    }

    public var fields: JSONObject {
        var fields: JSONObject = ["intercom": .bool(intercom), "monitor": .bool(monitor),
                                  "inputmode": .integer(inputmode)]
        fields.appendIfPresent("stunserver", .text(stunserver))
        fields.appendIfPresent("turnserver", .text(turnserver))
        fields.appendIfPresent("turnusername", .text(turnusername))
        fields.appendIfPresent("turnpassword", .text(turnpassword))
        return fields
    }
}
