import CatracaCore
import CatracaTerminal

/// Counts what the store took over a period, for the periodic info line.
struct StoredRecordsSummary {
    private(set) var batches = 0
    private(set) var inserted = 0
    private(set) var duplicates = 0
    private(set) var quarantined = 0
    private(set) var terminals: Set<String> = []

    mutating func add(_ batch: RecordBatch, _ outcome: BatchOutcome) {
        batches += 1
        inserted += outcome.inserted
        duplicates += outcome.duplicates
        quarantined += outcome.quarantined
        terminals.insert(batch.sn)
    }

    func metadata(over period: TimeSpan) -> LogMetadata {
        [
            "period": period.description, "batches": "\(batches)", "new": "\(inserted)",
            "duplicates": "\(duplicates)", "quarantined": "\(quarantined)", "terminals": "\(terminals.count)",
        ]
    }
}
