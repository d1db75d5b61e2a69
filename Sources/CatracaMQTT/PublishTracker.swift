import CatracaStore

/// The batches handed to libmosquitto whose PUBACKs have not all arrived, and the message ids that
/// tie each PUBACK back to its entry and batch.
///
/// A batch is delivered once every message of it has a PUBACK that accepts it. A refusal decides the
/// batch's result but the batch still waits for its other PUBACKs, so their message ids leave the table
/// with it; a park outranks a retry. Abandoning a batch (connection lost, timeout, a publish call that
/// failed) drops its message ids: a PUBACK arriving for one later is ignored.
///
/// Not thread-safe: `MQTTUpstream` calls it under its lock.
struct PublishTracker {
    /// A batch whose result is known: `complete()` runs its completion, outside any lock.
    struct Finished {
        var completion: @Sendable (DeliveryResult) -> Void
        var result: DeliveryResult

        func complete() { completion(result) }
    }

    private struct Tracked {
        var completion: @Sendable (DeliveryResult) -> Void
        var topicOfMessage: [Int32: (entryID: Int64, topic: String)] = [:]
        var allPublished = false
        var refusal: MessageVerdict?
    }

    private var batches: [UInt64: Tracked] = [:]
    private var batchOfMessage: [Int32: UInt64] = [:]
    private var lastToken: UInt64 = 0

    /// Batches waiting for PUBACKs.
    var batchCount: Int { batches.count }
    /// Messages waiting for a PUBACK.
    var messageCount: Int { batchOfMessage.count }

    /// Starts tracking a batch; returns the token its messages are filed under.
    mutating func begin(completion: @escaping @Sendable (DeliveryResult) -> Void) -> UInt64 {
        lastToken += 1
        batches[lastToken] = Tracked(completion: completion)
        return lastToken
    }

    /// Files message `mid`, carrying `entryID` on `topic`, under the batch `token`.
    mutating func published(mid: Int32, entryID: Int64, topic: String, in token: UInt64) {
        batches[token]?.topicOfMessage[mid] = (entryID, topic)
        batchOfMessage[mid] = token
    }

    /// Every message of batch `token` is handed over; the batch finishes now if all were acknowledged.
    mutating func finishPublishing(_ token: UInt64) -> Finished? {
        batches[token]?.allPublished = true
        return finishIfComplete(token)
    }

    /// The PUBACK for message `mid` with its MQTT 5 reason code.
    mutating func acknowledged(mid: Int32, reasonCode: Int32) -> Finished? {
        guard let token = batchOfMessage.removeValue(forKey: mid),
            let message = batches[token]?.topicOfMessage.removeValue(forKey: mid)
        else { return nil }

        let verdict = MessageVerdict.forAcknowledgement(
            reasonCode: reasonCode, entryID: message.entryID, topic: message.topic)
        record(verdict, in: token)
        return finishIfComplete(token)
    }

    /// Gives batch `token` up with `result`, whatever its PUBACKs say later.
    mutating func abandon(_ token: UInt64, with result: DeliveryResult) -> Finished? {
        guard let batch = batches.removeValue(forKey: token) else { return nil }
        for mid in batch.topicOfMessage.keys { batchOfMessage[mid] = nil }
        return Finished(completion: batch.completion, result: result)
    }

    /// Gives every batch up with `result`, e.g. when the connection drops.
    mutating func abandonAll(with result: DeliveryResult) -> [Finished] {
        let finished = batches.values.map { Finished(completion: $0.completion, result: result) }
        batches.removeAll()
        batchOfMessage.removeAll()
        return finished
    }

    private mutating func record(_ verdict: MessageVerdict, in token: UInt64) {
        switch (verdict, batches[token]?.refusal) {
        case (.accepted, _), (.retry, .park?), (.retry, .retry?), (.park, .park?):
            return
        default:
            batches[token]?.refusal = verdict
        }
    }

    private mutating func finishIfComplete(_ token: UInt64) -> Finished? {
        guard let batch = batches[token], batch.allPublished, batch.topicOfMessage.isEmpty else { return nil }
        batches[token] = nil
        switch batch.refusal {
        case .park(let reason)?: return Finished(completion: batch.completion, result: .park(reason: reason))
        case .retry(let reason)?:
            return Finished(completion: batch.completion, result: .retry(after: nil, reason: reason))
        case .accepted?, nil: return Finished(completion: batch.completion, result: .delivered)
        }
    }
}
