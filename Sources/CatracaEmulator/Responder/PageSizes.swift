/// How many entries one page of each paged listing carries.
///
/// Users 40 as in the vendor's example (`from` 0, `to` 39); logs 20, smaller than the vendor's 50
/// because records may carry photos; questionnaire items 16, so a whole questionnaire (at most 16
/// items) fits one page unless a test asks for less.
public struct PageSizes: Equatable, Sendable {
    /// `getuserlist` entries per page.
    public var users = 40
    /// `getnewlog` / `getalllog` records per page.
    public var logs = 20
    /// `getquestionnaire` items per page.
    public var questionnaireItems = 16

    public init() {}

    /// The same size for every listing.
    public init(all size: Int) {
        users = size
        logs = size
        questionnaireItems = size
    }
}
