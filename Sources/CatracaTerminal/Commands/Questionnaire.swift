import CatracaJSON

/// The terminal's questionnaire (a survey shown at recognition, e.g. a meal choice).
///
/// Sent with the spellings of the vendor's own setquestionnaire example, `tittle` and `Schedules`: that example
/// is the only description of what the firmware reads, and the replies use the same spellings. The operator
/// writes and sees `title` and `schedules`.
public struct Questionnaire: Equatable, Sendable {
    public static let maxItemsMultipleChoice = 8
    public static let maxItemsSingleChoice = 16

    public var title: String?
    /// Shown when an answer is required.
    public var errmsg: String?
    /// true = multiple choice (up to 8 items), false = single choice (up to 16).
    public var radio: Bool?
    /// With multiple choice, 1 makes an answer required.
    public var optionflag: Int?
    public var usequestion: Bool?
    public var useschedule: Bool?
    /// 1 = a card swipe starts the questionnaire.
    public var card: Int?
    public var items: [String]?
    /// `HH:MM-HH:MM*N` entries.
    public var schedules: [String]?

    public init() {}

    static let fieldNames = [
        "title", "errmsg", "radio", "optionflag", "usequestion", "useschedule", "card", "items", "schedules",
    ]

    /// Reads operator params: any subset, at least one field.
    ///
    /// Without `radio` the items are held to 8, the limit that holds in both modes (the terminal keeps the mode
    /// it has, which the daemon does not know); send `radio: false` for up to 16.
    init(params object: JSONObject) throws(CommandValidationError) {
        let params = try OperatorParams(object, fields: Questionnaire.fieldNames)
        guard !params.isEmpty else {
            throw CommandValidationError(field: "params", message: "give at least one of "
                + Questionnaire.fieldNames.joined(separator: ", "))
        }
        title = try params.text("title")
        errmsg = try params.text("errmsg")
        radio = try params.boolean("radio")
        optionflag = try params.flag("optionflag")
        usequestion = try params.boolean("usequestion")
        useschedule = try params.boolean("useschedule")
        card = try params.flag("card")
        items = try Questionnaire.items(params, radio: radio)
        schedules = try Questionnaire.schedules(params)
    }

    /// Reads a setquestionnaire/getquestionnaire reply leniently: vendor spellings, booleans as 1/0 or strings.
    public init(reply: JSONObject) {
        title = (reply["title"] ?? reply["tittle"])?.string
        errmsg = reply["errmsg"]?.string
        radio = reply["radio"]?.bool
        optionflag = reply["optionflag"]?.int
        usequestion = reply["usequestion"]?.bool
        useschedule = reply["useschedule"]?.bool
        card = reply["card"]?.int
        items = reply["items"]?.array?.compactMap(\.string)
        schedules = reply.value(forKeyIgnoringCase: "schedules")?.array?.compactMap(\.string)
    }

    /// The setquestionnaire members with the terminals' spellings (`tittle`, `Schedules`).
    public var fields: JSONObject {
        var fields = JSONObject()
        fields.appendIfPresent("tittle", .text(title))
        fields.appendIfPresent("errmsg", .text(errmsg))
        fields.appendIfPresent("radio", radio.map(JSONValue.bool))
        fields.appendIfPresent("optionflag", .integer(optionflag))
        fields.appendIfPresent("usequestion", usequestion.map(JSONValue.bool))
        fields.appendIfPresent("useschedule", useschedule.map(JSONValue.bool))
        fields.appendIfPresent("card", .integer(card))
        fields.appendIfPresent("items", items.map { .array($0.map(JSONValue.string)) })
        fields.appendIfPresent("Schedules", schedules.map { .array($0.map(JSONValue.string)) })
        return fields
    }

    private static func items(_ params: OperatorParams, radio: Bool?) throws(CommandValidationError) -> [String]? {
        guard let list = try params.array("items") else { return nil }
        let limit = radio == false ? maxItemsSingleChoice : maxItemsMultipleChoice
        guard list.count <= limit else {
            let why = radio == nil ? "without radio the limit of multiple choice holds; send radio false for 16"
                : radio! ? "multiple choice (radio true)" : "single choice (radio false)"
            throw params.error("items", "has \(list.count) items; at most \(limit) (\(why))")
        }
        var items: [String] = []
        for (index, value) in list.enumerated() {
            guard case .string(let text) = value, !text.isEmpty else {
                throw CommandValidationError(field: params.path("items") + "[\(index)]",
                                             message: "\(Shown(value)) is not a non-empty string")
            }
            items.append(text)
        }
        return items
    }

    private static func schedules(_ params: OperatorParams) throws(CommandValidationError) -> [String]? {
        guard let list = try params.array("schedules") else { return nil }
        var schedules: [String] = []
        for (index, value) in list.enumerated() {
            guard case .string(let text) = value, QuestionnaireSchedule.isValid(text) else {
                throw CommandValidationError(field: params.path("schedules") + "[\(index)]",
                                             message: "\(Shown(value)) is not HH:MM-HH:MM*N (N 1-16)")
            }
            schedules.append(text)
        }
        return schedules
    }
}

/// A questionnaire schedule `HH:MM-HH:MM*N`, e.g. `05:30-07:30*1`.
///
/// The protocol does not say what N is (the vendor's examples use 1 and 2); it is held to 1-16, the most items
/// a questionnaire has. The start may not be after the end, as in day-zone sections.
enum QuestionnaireSchedule {
    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "*", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), parts[1].count <= 2,
              let number = Int(parts[1]), (1...16).contains(number) else { return false }
        let times = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard times.count == 2, let start = TimeSection.minutes(times[0]), let end = TimeSection.minutes(times[1])
        else { return false }
        return start <= end
    }
}

/// `setquestionnaire`: the questionnaire's settings, items and schedules; any subset.
public struct SetQuestionnaire: CommandRequest {
    public static let commandName = "setquestionnaire"

    public var questionnaire: Questionnaire

    public init(params: JSONObject) throws(CommandValidationError) {
        questionnaire = try Questionnaire(params: params)
    }

    public var fields: JSONObject { questionnaire.fields }
}

/// `getquestionnaire`: the questionnaire, paged (`stn`).
public struct GetQuestionnaire: CommandRequest {
    public static let commandName = "getquestionnaire"

    public init(params: JSONObject) throws(CommandValidationError) {
        _ = try OperatorParams(params, fields: [])
    }

    public var fields: JSONObject { JSONObject() }
}
