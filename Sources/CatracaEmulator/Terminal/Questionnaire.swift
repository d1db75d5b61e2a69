/// The survey a terminal shows after recognition (`setquestionnaire`, `getquestionnaire`).
public struct Questionnaire: Equatable, Sendable {
    public var title = ""
    public var errmsg = ""
    /// True: multiple choice (up to 8 items); false: single choice (up to 16).
    public var radio = false
    public var optionflag = 0
    public var usequestion = false
    public var useschedule = false
    public var card = 0
    public var items: [String] = []
    /// Entries like `05:30-07:30*1`.
    public var schedules: [String] = []

    public init() {}

    /// Most items the terminal takes for this kind of questionnaire.
    public static func itemLimit(multipleChoice: Bool) -> Int { multipleChoice ? 8 : 16 }
}
