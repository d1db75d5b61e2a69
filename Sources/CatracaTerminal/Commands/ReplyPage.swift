import CatracaJSON

/// One page of a paged reply (getuserlist, getnewlog, getalllog, getquestionnaire), read leniently.
public struct ReplyPage: Equatable, Sendable {
    /// The listing's total count; nil when missing or unreadable.
    public var count: Int?
    /// The index of this page's first entry.
    public var from: Int?
    /// The index of this page's last entry.
    public var to: Int?
    /// The page's `record` entries as they came; empty when `record` is missing or not a list.
    public var entries: [JSONValue]
    /// A questionnaire page's `items`, as they came; empty for other listings.
    public var items: [JSONValue]

    public init(reply: JSONObject) {
        count = reply["count"]?.int
        from = reply["from"]?.int
        to = reply["to"]?.int
        entries = reply["record"]?.array ?? []
        items = reply["items"]?.array ?? []
    }
}
