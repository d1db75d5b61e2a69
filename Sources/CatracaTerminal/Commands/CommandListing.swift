import CatracaJSON

/// Walks a paged listing (getuserlist, getnewlog, getalllog, getquestionnaire): one reply per page,
/// `stn:true` for the first, `stn:false` for each next one, until the listing says it is complete.
///
/// The protocol says little about paging, so the end is taken from whichever signal comes first: `to`
/// reaching `count - 1`, as many entries as `count`, a page without entries, or a reply without paging
/// fields at all (a terminal that answers in one piece). A questionnaire's entries are its `items` (it has
/// no `record`); the merged questionnaire keeps its fields, with `count` and every page's items. A terminal
/// that repeats a page, goes backwards,
/// or takes more than `maxPages` pages is cut off instead of being followed forever.
struct CommandListing {
    enum Step: Equatable {
        /// Ask for the next page.
        case next
        /// The listing is complete; the merged reply.
        case complete(JSONObject)
        /// The terminal's pages cannot be followed; why.
        case broken(String)
    }

    let paging: CommandPaging
    let maxPages: Int
    private(set) var pages = 0
    private var merged = JSONObject()
    private var entries: [JSONValue] = []
    /// A questionnaire's `items`, over all its pages.
    private var items: [JSONValue] = []
    private var total: Int?
    private var lastPage: (from: Int?, to: Int?, entries: [JSONValue])?
    /// Whether any page carried `count`, `from`, `to` or `record`; a questionnaire answered in one piece
    /// carries none and is given back as it came.
    private var isPaged = false

    init(paging: CommandPaging, maxPages: Int) {
        self.paging = paging
        self.maxPages = maxPages
    }

    /// Takes one page; `entries` of a log listing are the records to store, given back by `logEntries`.
    mutating func add(_ reply: JSONObject) -> Step {
        let page = ReplyPage(reply: reply)
        let listed = listedEntries(of: page)
        pages += 1
        if let problem = problem(with: page, listed: listed) { return .broken(problem) }

        if pages == 1 { merged = reply }
        isPaged = isPaged || page.count != nil || page.from != nil || page.to != nil || reply["record"] != nil
        if let count = page.count { total = count }
        entries += paging == .logs ? page.entries.map(CommandListing.withoutImage) : page.entries
        items += page.items
        lastPage = (page.from, page.to, listed)
        return isComplete(after: page, listed: listed) ? .complete(result()) : .next
    }

    /// What the listing counts and pages over: a questionnaire's `items`, every other listing's `record`.
    private func listedEntries(of page: ReplyPage) -> [JSONValue] {
        paging == .questionnaire ? page.items : page.entries
    }

    private var listedCount: Int { paging == .questionnaire ? items.count : entries.count }

    private func problem(with page: ReplyPage, listed: [JSONValue]) -> String? {
        if pages > maxPages {
            return "listing still not complete after \(maxPages) pages (count \(total.map(String.init) ?? "-"))"
        }
        if let from = page.from, let to = page.to, !listed.isEmpty, from < 0 || to < from {
            return "page \(pages) says it runs from \(from) to \(to), which is no range of entries"
        }
        let announced = page.count ?? total
        if listed.isEmpty, let announced, listedCount < announced {
            return "the listing stopped after \(listedCount) of the \(announced) entries it announced "
                + "(page \(pages) came without entries)"
        }
        guard let lastPage, !listed.isEmpty else { return nil }
        if page.from == lastPage.from, page.to == lastPage.to, listed == lastPage.entries {
            return "the same page came again (from \(describe(page.from)) to \(describe(page.to))) "
                + "after stn:false; the listing would never end"
        }
        if let to = page.to, let previous = lastPage.to, to <= previous {
            return "page \(pages) ends at \(to), not after the previous page's end \(previous)"
        }
        if let from = page.from, let previous = lastPage.to, from != previous + 1 {
            return "page \(pages) starts at \(from), but the previous page ended at \(previous): entries would be "
                + (from > previous + 1 ? "missing" : "counted twice")
        }
        return nil
    }

    private func isComplete(after page: ReplyPage, listed: [JSONValue]) -> Bool {
        if listed.isEmpty { return true }
        if let count = total {
            if count <= 0 { return true }
            if let to = page.to, to >= count - 1 { return true }
            if listedCount >= count { return true }
            return false
        }
        // Without a count the only other end is a page without paging fields: the whole answer at once.
        return page.from == nil && page.to == nil
    }

    private func result() -> JSONObject {
        var reply = merged
        if pages > 1, !items.isEmpty { reply["items"] = .array(items) }
        guard isPaged else { return reply }
        reply["from"] = nil
        reply["to"] = nil
        reply["count"] = .integer(total ?? listedCount)
        if paging != .questionnaire { reply["record"] = .array(entries) }
        return reply
    }

    private func describe(_ value: Int?) -> String { value.map(String.init) ?? "-" }

    /// A log entry without its photo: photos are stored with the record, not held for the operator's
    /// reply (5,000 records with photos would be hundreds of megabytes).
    static func withoutImage(_ entry: JSONValue) -> JSONValue {
        guard var object = entry.object else { return entry }
        let hasImage = object["image"].map { !($0.string ?? "").isEmpty } ?? false
        object["image"] = nil
        object["has_image"] = .bool(hasImage)
        return .object(object)
    }
}
