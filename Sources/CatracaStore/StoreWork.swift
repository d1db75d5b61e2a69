import CatracaTerminal
import Foundation

/// One piece of work for the store, committed together with others in one transaction.
public enum StoreWork: Sendable {
    /// Records (and quarantined records) from one terminal message.
    case batch(RecordBatch)
    /// A terminal that registered: remember who it is and where it was seen.
    case registration(TerminalRegistration)
    /// A known terminal was seen (it disconnected, or is still connected): move its `last_seen` forward.
    case seen(sn: String, at: Date)
    /// A change to the outbox's delivery state (the forwarder's progress, an operator's retry, pruning).
    case outbox(OutboxUpdate)
    /// A turn the turnstile board reported.
    case rotation(RotationRow)
    /// A closed passage, closing the grants and the rotation it joined.
    case passage(PassageRow)
    /// Inputs that ended in no passage (a bounce, a grant at a turnstile no longer configured).
    case settled(rotationIDs: [Int64], recordIDs: [Int64])
    /// A finished intercom call or monitoring session.
    case call(CallRow)

    /// Records and quarantined records this work writes, to cap the size of a group.
    var rowCount: Int {
        switch self {
        case .batch(let batch): return batch.records.count + batch.quarantined.count
        case .registration, .seen, .outbox, .rotation, .passage, .settled, .call: return 1
        }
    }

    /// Photo bytes this work writes, to cap the size of a group.
    var photoBytes: Int {
        guard case .batch(let batch) = self else { return 0 }
        return batch.records.reduce(0) { $0 + ($1.photo?.bytes.count ?? 0) }
    }
}

/// What committing one `StoreWork` did.
public enum StoreWorkResult: Equatable, Sendable {
    case batch(BatchOutcome)
    case registration
    case seen
    /// Rows the outbox change touched: batches requeued, entries pruned; 1 for progress.
    case outbox(changed: Int)
    /// The new rotation's row id.
    case rotation(id: Int64)
    /// The new passage's row id.
    case passage(id: Int64)
    case settled
    /// The new call's row id.
    case call(id: Int64)
}
