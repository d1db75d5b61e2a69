import CatracaJSON

/// setquestionnaire and getquestionnaire.
extension TerminalCommandResponder {
    /// Sets the fields sent over the questionnaire held (`tittle`/`title`, `Schedules`/`schedules`).
    /// More items than the kind allows (8 multiple choice, 16 single) is refused.
    func setQuestionnaire(_ fields: CommandFields) throws -> JSONObject {
        var questionnaire = state.questionnaire ?? Questionnaire()
        if let title = try fields.string("title", "tittle") { questionnaire.title = title }
        if let errmsg = try fields.string("errmsg") { questionnaire.errmsg = errmsg }
        if let radio = try fields.bool("radio") { questionnaire.radio = radio }
        if let optionflag = try fields.int("optionflag", in: 0...1) { questionnaire.optionflag = optionflag }
        if let usequestion = try fields.bool("usequestion") { questionnaire.usequestion = usequestion }
        if let useschedule = try fields.bool("useschedule") { questionnaire.useschedule = useschedule }
        if let card = try fields.int("card", in: 0...1) { questionnaire.card = card }
        if let items = try fields.array("items") { questionnaire.items = try texts(items, "items") }
        if let schedules = try fields.array("schedules") { questionnaire.schedules = try texts(schedules, "schedules") }

        let limit = Questionnaire.itemLimit(multipleChoice: questionnaire.radio)
        guard questionnaire.items.count <= limit else {
            throw CommandRefusal.invalid("items: \(questionnaire.items.count) items, at most \(limit) for this kind")
        }
        state.questionnaire = questionnaire
        return [:]
    }

    private func texts(_ values: [JSONValue], _ key: String) throws -> [String] {
        try values.map { value in
            guard case .string(let text) = value else { throw CommandRefusal.invalid("\(key): \(value) is not text") }
            return text
        }
    }

    /// Every field of the questionnaire, with its items paged like a listing: `count` (all items),
    /// `from`, `to`, and `items` holding this page's slice. `stn` may come as the text "true".
    /// A terminal without a questionnaire answers with the empty one.
    func listQuestionnaire(_ fields: CommandFields) throws -> JSONObject {
        let questionnaire = state.questionnaire ?? Questionnaire()
        let (listing, page) = try nextPage(of: "getquestionnaire", fields) {
            Listing(entries: questionnaire.items.map { .string($0) }, pageSize: pageSizes.questionnaireItems)
        }
        var body = TerminalState.snapshot(of: questionnaire).object ?? [:]
        for member in listing.position(of: page) { body[member.key] = member.value }
        body["items"] = .array(Array(listing.entries[page]))
        return body
    }
}
