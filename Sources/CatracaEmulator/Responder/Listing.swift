import CatracaJSON

/// A paged listing in progress (`getuserlist`, `getnewlog`, `getalllog`, `getquestionnaire`).
///
/// `stn:true` takes a snapshot of the entries and gives the first page; each `stn:false` gives the
/// next. The snapshot keeps pages consistent while the terminal's data changes in between.
struct Listing {
    /// Every entry of the listing, as the reply's `record` (or `items`) carries them.
    let entries: [JSONValue]
    /// For `getnewlog`: the index in the terminal's log of each entry, to mark it fetched.
    let logIndexes: [Int]
    let pageSize: Int
    private(set) var nextOffset = 0
    private(set) var lastPage: Range<Int>?

    init(entries: [JSONValue], logIndexes: [Int] = [], pageSize: Int) {
        self.entries = entries
        self.logIndexes = logIndexes
        self.pageSize = max(1, pageSize)
    }

    /// The next page's range in `entries` (empty past the end), and moves on.
    mutating func advance() -> Range<Int> {
        let start = min(nextOffset, entries.count)
        let page = start..<min(entries.count, start + pageSize)
        nextOffset = page.upperBound
        lastPage = page
        return page
    }

    /// The page given last, again (quirk `endless-paging`); the first page when none was given.
    mutating func repeatLast() -> Range<Int> {
        guard let lastPage else { return advance() }
        return lastPage
    }

    /// `count`, `from`, `to` for `page`: an empty listing gives 0, 0, 0; a page past the end gives
    /// `from` = `to` = `count`.
    func position(of page: Range<Int>) -> JSONObject {
        let from = entries.isEmpty ? 0 : page.lowerBound
        let to = page.isEmpty ? from : page.upperBound - 1
        return ["count": .integer(entries.count), "from": .integer(from), "to": .integer(to)]
    }
}
