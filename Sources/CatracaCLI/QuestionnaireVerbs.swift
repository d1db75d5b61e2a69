import CatracaJSON

/// Verbs about the questionnaire a terminal shows, and the raw passthrough.
enum QuestionnaireVerbs {
    static let all: [Verb] = [
        Verb(["questionnaire"], summary: "shows the questionnaire",
             details: "sends getquestionnaire, page by page") { _ in .command("getquestionnaire") },
        Verb(["questionnaire", "set"], flags: [CLIFlag("--file", "FILE")], summary: "replaces the questionnaire",
             details: """
                 sends setquestionnaire with the JSON object in --file as params (canonical names: "title",
                 "errmsg", "radio", "optionflag", "usequestion", "useschedule", "card", "items", "schedules")
                 """, build: set),
        Verb(["raw"], arguments: ["JSON"], flags: [CLIFlag("--no-reply")],
             summary: "sends a message exactly as given (for a command not modelled yet)",
             details: """
                 posts {"message": JSON, "expect_reply": true, or false with --no-reply} to the raw endpoint;
                 JSON must be an object with "cmd", e.g. '{"cmd":"getdevinfo"}'
                 """, build: raw),
    ]

    @Sendable static func set(_ input: VerbInput) throws -> VerbPlan {
        guard let path = input.options.value("--file") else { throw input.usage("questionnaire set needs --file FILE") }
        let bytes: [UInt8]
        do { bytes = try input.context.readFile(path) } catch {
            throw input.usage("--file \(path) cannot be read: \(error)")
        }
        guard let object = (try? JSONReader.parse(bytes))?.object else {
            throw input.usage("--file \(path) does not hold a JSON object")
        }
        return .command("setquestionnaire", object)
    }

    @Sendable static func raw(_ input: VerbInput) throws -> VerbPlan {
        guard let text = input.argument(0) else { throw input.usage("raw needs a JSON message") }
        guard let message = (try? JSONReader.parse(text))?.object else {
            throw input.usage("raw: \(text.prefix(60)) is not a JSON object")
        }
        guard message["cmd"]?.string != nil else { throw input.usage("raw: the message needs a \"cmd\"") }
        return VerbPlan([.raw(message: message, expectReply: !input.options.isSet("--no-reply"))])
    }
}
