/// What the writer has done since it started, for status output and the benchmark.
public struct StoreWriterStats: Equatable, Sendable {
    /// Transactions committed.
    public var commits = 0
    /// Transactions that failed and were rolled back (their items were all failed).
    public var failedCommits = 0
    /// Batches and registrations committed.
    public var items = 0
    /// Records, quarantined records and registrations committed.
    public var rows = 0
    /// The most items one transaction held.
    public var largestCommit = 0
    /// Time spent inside successful commits, in nanoseconds.
    public var commitNanoseconds: Int64 = 0
    /// How many commits held 1, 2–3, 4–7, 8–15 … items: bucket `i` counts commits of `2^i ..< 2^(i+1)` items.
    public var itemsPerCommit: [Int] = Array(repeating: 0, count: 16)

    public init() {}

    /// Mean items per successful commit; how much the group commit groups.
    public var meanItemsPerCommit: Double {
        commits == 0 ? 0 : Double(items) / Double(commits)
    }

    mutating func recordCommit(items count: Int, rows rowCount: Int, nanoseconds: Int64) {
        commits += 1
        items += count
        rows += rowCount
        largestCommit = max(largestCommit, count)
        commitNanoseconds += nanoseconds
        let bucket = min(itemsPerCommit.count - 1, Int.bitWidth - 1 - max(count, 1).leadingZeroBitCount)
        itemsPerCommit[bucket] += 1
    }
}
