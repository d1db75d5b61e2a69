import CatracaJSON

/// The `sendlog` acknowledgements of one connection, in the order the messages came.
///
/// An acknowledgement leaves the queue only when every one before it has left, so replies keep the
/// order of the requests even when batches commit out of order. When the site's rules decide access, an
/// acknowledgement also waits for their verdict, which it carries.
struct AcknowledgementQueue {
    /// One acknowledgement leaving the queue, and whether it is sent.
    struct Due {
        enum Outcome {
            case acknowledge
            /// The batch itself failed.
            case failed
            /// The batch was stored, but an earlier one failed while it waited.
            case withheld
        }

        var count: JSONValue
        var logindex: JSONValue?
        var outcome: Outcome
        /// The site's rules' verdict on the batch's records; nil answers with the site's default.
        var verdict: AccessVerdict?
    }

    private enum State {
        case storing
        case stored
        case failed
    }

    private struct Entry {
        /// Nil for a message with nothing to store.
        var batchID: UInt64?
        var count: JSONValue
        var logindex: JSONValue?
        var state: State
        /// Set when an earlier batch failed while this one was waiting.
        var withheld = false
        /// Set while the site's rules have not answered for the batch's records.
        var awaitingVerdict = false
        var verdict: AccessVerdict?

        /// Whether this entry's outcome is known: a failed batch needs no verdict any more.
        var isDue: Bool { state == .failed || (state == .stored && !awaitingVerdict) }
    }

    private var entries: [Entry] = []

    /// - Parameter awaitingVerdict: the acknowledgement also waits for `setVerdict`.
    mutating func append(batchID: UInt64, count: JSONValue, logindex: JSONValue?, awaitingVerdict: Bool = false) {
        entries.append(Entry(batchID: batchID, count: count, logindex: logindex, state: .storing,
                             awaitingVerdict: awaitingVerdict))
    }

    /// The site's rules answered for batch `batchID`. False when no entry waits for it (the batch failed and
    /// left the queue, or it was never asked about).
    mutating func setVerdict(batchID: UInt64, verdict: AccessVerdict?) -> Bool {
        guard let index = entries.firstIndex(where: { $0.batchID == batchID && $0.awaitingVerdict }) else {
            return false
        }
        entries[index].awaitingVerdict = false
        entries[index].verdict = verdict
        return true
    }

    /// A message with nothing to store: its acknowledgement is due once those before it are.
    mutating func appendReady(count: JSONValue, logindex: JSONValue?) {
        entries.append(Entry(batchID: nil, count: count, logindex: logindex, state: .stored))
    }

    /// False when no batch with `batchID` is being stored.
    mutating func markStored(batchID: UInt64) -> Bool {
        guard let index = storingIndex(of: batchID) else { return false }
        entries[index].state = .stored
        return true
    }

    /// Marks the batch failed and withholds the acknowledgements queued after it.
    mutating func markFailed(batchID: UInt64) -> Bool {
        guard let index = storingIndex(of: batchID) else { return false }
        entries[index].state = .failed
        for later in entries.indices where later > index {
            entries[later].withheld = true
        }
        return true
    }

    /// Removes and returns the entries at the front whose outcome is known.
    mutating func takeDue() -> [Due] {
        let dueCount = entries.prefix(while: \.isDue).count
        let due = entries.prefix(dueCount).map { entry in
            Due(count: entry.count, logindex: entry.logindex, outcome: AcknowledgementQueue.outcome(of: entry),
                verdict: entry.verdict)
        }
        entries.removeFirst(dueCount)
        return due
    }

    private static func outcome(of entry: Entry) -> Due.Outcome {
        if entry.state == .failed { return .failed }
        return entry.withheld ? .withheld : .acknowledge
    }

    private func storingIndex(of batchID: UInt64) -> Int? {
        entries.firstIndex { $0.batchID == batchID && $0.state == .storing }
    }
}
