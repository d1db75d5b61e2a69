import CatracaCore
import CatracaJSON
import Foundation

/// The protocol side of one terminal connection: takes the terminal's text messages, returns what to
/// send, register and store. No I/O: the clock is injected and effects are carried out by the caller.
///
/// Records are acknowledged only after the I/O layer reports the batch durably stored
/// (`batchStored`), in the order the batches were received. A failed batch is never acknowledged, so
/// the terminal sends its records again.
///
/// Replies, and requests it does not serve (which may be replies tagged `"cmd"`), are handed on as
/// `.reply` for the command queue. Anything else it cannot use (malformed JSON, a message naming no
/// command) is logged at debug and ignored; the connection stays up.
///
/// Not thread-safe: one connection's events are handled one at a time by its owner.
public final class TerminalSession {
    /// `host:port` the terminal connected from.
    public let peerAddress: String
    /// The terminal's serial number, set by an accepted `reg` (or an accepted `sendlog` before `reg`).
    public private(set) var serialNumber: String?
    /// Whether the terminal has sent an accepted `reg` on this connection (not only records).
    public private(set) var registeredByReg = false
    /// `reg` messages refused on this connection (no serial number, not allowed, wrong address), for metrics.
    public private(set) var refusedRegistrations = 0

    private let configuration: TerminalSessionConfiguration
    private let timeSource: TimeSource
    private let logger: Logger
    private let recordParser: RecordParser
    private var acknowledgements = AcknowledgementQueue()
    private var nextBatchID: UInt64 = 1
    private var nextQuestionID: UInt64 = 1
    /// QR codes read and not answered yet, by question id: the serial number to answer for.
    private var pendingQRCodes: [UInt64: String] = [:]
    /// The registration put to the site's rules, until they answer.
    private var pendingRegistration: TerminalRegistration?
    /// Why the site's rules refused this connection's last `reg`: until a later `reg` is accepted, its records
    /// and QR codes are refused with it, as when the allow-list refuses the terminal.
    private var refusedBySiteRules: String?
    private var serialNumbersWarnedAbout: Set<String> = []

    public init(peerAddress: String, configuration: TerminalSessionConfiguration, timeSource: TimeSource,
                logger: Logger) {
        self.peerAddress = peerAddress
        self.configuration = configuration
        self.timeSource = timeSource
        self.logger = logger
        self.recordParser = RecordParser(logger: logger)
    }

    /// Handles one text message from the terminal.
    public func receive(text: [UInt8]) -> [TerminalEffect] {
        let message: TerminalMessage
        do {
            message = try TerminalMessage.decode(text, reader: configuration.reader)
        } catch {
            if let salvaged = MalformedSendlog(text) {
                return quarantineMalformed(text, salvaged, error: error)
            }
            logger.debug("terminal message ignored", context(["reason": "\(error)", "bytes": String(text.count)]))
            return []
        }

        switch (message.kind, message.name) {
        case (.request, "reg"):
            return register(message)
        case (.request, "sendlog"):
            return acceptRecords(message)
        case (.request, "sendqrcode"), (.request, "sendqgrcode"):
            return readQRCode(message)
        case (.request, _), (.reply, _):
            // Some firmwares tag a reply with "cmd"; whether it answers a command is for the command queue.
            return [.reply(message)]
        }
    }

    /// The batch with `id` is durably stored: returns the acknowledgements now due, in order.
    public func batchStored(id: UInt64, outcome: BatchOutcome) -> [TerminalEffect] {
        guard acknowledgements.markStored(batchID: id) else {
            logger.debug("stored batch is not waiting for an acknowledgement", context(["batch": String(id)]))
            return []
        }
        logger.debug("batch stored", context([
            "batch": String(id), "inserted": String(outcome.inserted), "duplicates": String(outcome.duplicates),
            "quarantined": String(outcome.quarantined),
        ]))
        return dueAcknowledgements()
    }

    /// The batch with `id` could not be stored: it is not acknowledged, and neither are the batches
    /// received after it that are still waiting, so the terminal sends all of them again.
    ///
    /// Withholding the later ones costs a resend (the store keeps each record once); acknowledging them
    /// could let a terminal that counts by `logindex` skip the failed batch's records.
    public func batchFailed(id: UInt64, error: Error) -> [TerminalEffect] {
        guard acknowledgements.markFailed(batchID: id) else {
            logger.debug("failed batch is not waiting for an acknowledgement", context(["batch": String(id)]))
            return []
        }
        logger.debug("batch not stored, not acknowledged", context(["batch": String(id), "reason": "\(error)"]))
        return dueAcknowledgements()
    }

    /// Records a terminal gave back in a listing (getnewlog, getalllog), as a batch to store like pushed
    /// ones: the same parsing, the same deduplication. Nothing is acknowledged for them: the terminal
    /// already counts them as delivered.
    public func listedRecords(_ entries: [JSONValue]) -> RecordBatch? {
        guard let sn = serialNumber, refusedBySiteRules == nil else { return nil }
        return makeBatch(sn: sn, recordParser.parse(entries, fallbackSN: sn))
    }

    // MARK: - reg

    private func register(_ message: TerminalMessage) -> [TerminalEffect] {
        guard let sn = message.sn else {
            logger.debug("registration refused: no serial number", context([:]))
            refusedRegistrations += 1
            return [send(TerminalReplies.registrationRefused(reason: TerminalReplies.Refusal.noSerialNumber))]
        }
        if let reason = refusalReason(for: sn) {
            refusedRegistrations += 1
            return [send(TerminalReplies.registrationRefused(reason: reason))]
        }

        let devinfo = TerminalDevinfo.find(in: message.body, reader: configuration.reader)
        var devinfoJSON = devinfo.map { JSONValue.object($0).description }
        if let text = devinfoJSON, text.utf8.count > TerminalDevinfo.maxStoredBytes {
            // A real devinfo is a few hundred bytes; megabytes of it would only bloat listings.
            logger.warning("devinfo too large; not stored", ["sn": sn, "bytes": String(text.utf8.count)])
            devinfoJSON = nil
        }
        let registration = TerminalRegistration(
            sn: sn, devinfoJSON: devinfoJSON, address: peerAddress, seenAt: timeSource.wallClock
        )
        if configuration.decidesAccess {
            pendingRegistration = registration
            return [.decide(.registration(registration))]
        }
        return accept(registration)
    }

    /// The site's rules answered the registration put to them; nil is no objection.
    public func registrationDecided(_ registration: TerminalRegistration, verdict: AccessVerdict?) -> [TerminalEffect] {
        guard pendingRegistration == registration else {
            logger.debug("decision for a registration no longer waiting; ignored", context(["sn": registration.sn]))
            return []
        }
        pendingRegistration = nil
        guard let verdict, !verdict.access else { return accept(registration) }

        refusedRegistrations += 1
        let reason = verdict.message.flatMap { $0.isEmpty ? nil : $0 } ?? TerminalReplies.Refusal.refusedBySite
        logger.info("terminal refused by the site's rules; its records and QR codes are refused until a reg is "
                    + "accepted", context(["sn": registration.sn, "reason": reason]))
        refusedBySiteRules = reason
        return [send(TerminalReplies.registrationRefused(reason: reason))]
    }

    private func accept(_ registration: TerminalRegistration) -> [TerminalEffect] {
        refusedBySiteRules = nil
        serialNumber = registration.sn
        registeredByReg = true
        logger.debug("terminal registered", context(["devinfo": registration.devinfoJSON == nil ? "none" : "sent"]))
        return [.register(registration), send(TerminalReplies.registrationAccepted(cloudtime: cloudtime()))]
    }

    /// Why terminal `sn` may not talk to this site from this connection, as shown on its screen; nil
    /// when it may.
    private func refusalReason(for sn: String) -> String? {
        guard SerialNumber.isValid(sn) else {
            logger.info("terminal refused: not a serial number", ["sn": SerialNumber.shown(sn), "address": peerAddress])
            return TerminalReplies.Refusal.invalidSerialNumber
        }
        guard let allowList = configuration.allowList else { return nil }

        switch allowList.decision(sn: sn, peerAddress: peerAddress) {
        case .allowed:
            return nil
        case .notListed:
            logger.info("terminal refused: not on the allow-list", ["sn": sn, "address": peerAddress])
            return TerminalReplies.Refusal.notAllowed
        case .wrongAddress(let pinned):
            logger.warning("terminal refused: connected from another address than the one it is pinned to",
                           ["sn": sn, "address": peerAddress, "pinned": pinned])
            return TerminalReplies.Refusal.wrongAddress
        }
    }

    // MARK: - sendlog

    private func acceptRecords(_ message: TerminalMessage) -> [TerminalEffect] {
        let entries = message.body["record"]?.array
        guard let sn = message.sn ?? serialNumber ?? entries.flatMap(TerminalSession.firstRecordSN) else {
            logger.debug("records refused: no serial number", context([:]))
            return [send(TerminalReplies.recordsRefused(reason: TerminalReplies.Refusal.noSerialNumber))]
        }
        if let reason = refusedBySiteRules {
            logger.debug("records refused: the site's rules refused this terminal's reg", context(["sn": sn]))
            return [send(TerminalReplies.recordsRefused(reason: reason))]
        }

        var effects: [TerminalEffect] = []
        if sn != serialNumber {
            if let reason = refusalReason(for: sn) {
                return [send(TerminalReplies.recordsRefused(reason: reason))]
            }
            effects += adoptOrNote(sn)
        }

        let count = message.body["count"] ?? .integer(entries?.count ?? 0)
        let logindex = message.body["logindex"]
        let details: LogMetadata = ["sn": sn, "count": count.description, "logindex": logindex?.description ?? "-"]
        guard let entries, !entries.isEmpty else {
            effects += entries == nil ? [storeUnreadable(message, sn: sn, count: count, logindex: logindex, details)]
                : acknowledgeEmpty(count: count, logindex: logindex, details)
            return effects
        }

        let (ownEntries, foreign) = separateForeignRecords(entries, messageSN: sn)
        var parsed = recordParser.parse(ownEntries, fallbackSN: sn)
        parsed.quarantined += foreign
        let batch = makeBatch(sn: sn, parsed)
        let asks = configuration.decidesAccess && !batch.records.isEmpty
        acknowledgements.append(batchID: batch.id, count: count, logindex: logindex, awaitingVerdict: asks)
        logger.debug("records received, storing", details.merging([
            "batch": String(batch.id), "records": String(parsed.records.count),
            "quarantined": String(parsed.quarantined.count),
        ]) { $1 })
        effects.append(.store(batch))
        if asks { effects.append(.decide(.records(batchID: batch.id, records: batch.records))) }
        return effects
    }

    /// The site's rules answered for the records of batch `batchID` (nil: no objection, the site's default
    /// answer); its acknowledgement carries the verdict once the batch is stored.
    public func recordsDecided(batchID: UInt64, verdict: AccessVerdict?) -> [TerminalEffect] {
        guard acknowledgements.setVerdict(batchID: batchID, verdict: verdict) else {
            logger.debug("decision for a batch no longer waiting; ignored", context(["batch": String(batchID)]))
            return []
        }
        return dueAcknowledgements()
    }

    // MARK: - sendqrcode

    /// A QR code read: put to the site's rules, answered by `qrcodeDecided`. The vendor's `sendqgrcode`
    /// spelling is taken too.
    private func readQRCode(_ message: TerminalMessage) -> [TerminalEffect] {
        guard let sn = message.sn ?? serialNumber else {
            logger.debug("QR code refused: no serial number", context([:]))
            return [send(TerminalReplies.qrcodeRefused(reason: TerminalReplies.Refusal.noSerialNumber))]
        }
        if let reason = refusedBySiteRules {
            logger.debug("QR code refused: the site's rules refused this terminal's reg", context(["sn": sn]))
            return [send(TerminalReplies.qrcodeRefused(reason: reason))]
        }
        if sn != serialNumber, let reason = refusalReason(for: sn) {
            return [send(TerminalReplies.qrcodeRefused(reason: reason))]
        }
        guard let code = TerminalSession.qrcodeText(message.body["record"]) else {
            logger.debug("QR code refused: no code in record", context(["sn": sn]))
            return [send(TerminalReplies.qrcodeRefused(reason: TerminalReplies.Refusal.noQRCode))]
        }

        let id = nextQuestionID
        nextQuestionID += 1
        pendingQRCodes[id] = sn
        return [.decide(.qrcode(id: id, sn: sn, code: code))]
    }

    /// The site's rules answered QR code question `id`.
    public func qrcodeDecided(id: UInt64, verdict: AccessVerdict) -> [TerminalEffect] {
        guard let sn = pendingQRCodes.removeValue(forKey: id) else {
            logger.debug("decision for a QR code no longer waiting; ignored", context(["question": String(id)]))
            return []
        }
        return [send(TerminalReplies.qrcodeAnswered(sn: sn, verdict: verdict))]
    }

    /// The code as text: firmwares send a string, a purely numeric code may come as a number.
    private static func qrcodeText(_ value: JSONValue?) -> String? {
        guard let value else { return nil }
        if let text = value.string { return text.isEmpty ? nil : text }
        if case .number(let number) = value { return number.description }
        return nil
    }

    /// Records that name, in their own `sn`, a serial number the allow-list does not let this
    /// connection speak for: quarantined (kept, with the reason) instead of stored under that number,
    /// so a listed terminal cannot slip records in for an unlisted or pinned one.
    private func separateForeignRecords(_ entries: [JSONValue], messageSN: String)
        -> (own: [JSONValue], foreign: [QuarantinedRecord])
    {
        guard let allowList = configuration.allowList else { return (entries, []) }
        var own: [JSONValue] = []
        var foreign: [QuarantinedRecord] = []
        for entry in entries {
            guard let recordSN = entry["sn"]?.string?.trimmingASCIIBlanks(), !recordSN.isEmpty, recordSN != messageSN,
                  allowList.decision(sn: recordSN, peerAddress: peerAddress) != .allowed else {
                own.append(entry)
                continue
            }
            if serialNumbersWarnedAbout.insert(recordSN).inserted {
                logger.warning("records for a serial number this terminal may not speak for; quarantined",
                               ["sn": messageSN, "records_sn": recordSN, "address": peerAddress])
            }
            let reason = "record sn \(recordSN) is not allowed from \(peerAddress) (sent by \(messageSN))"
            foreign.append(QuarantinedRecord(sn: messageSN, raw: entry.description, reason: reason))
        }
        return (own, foreign)
    }

    /// A connection without a registration takes the serial number of its first accepted `sendlog`;
    /// a registered one keeps its own and only notes that a message named another.
    private func adoptOrNote(_ sn: String) -> [TerminalEffect] {
        guard let registered = serialNumber else {
            serialNumber = sn
            logger.debug("records before registration accepted", ["sn": sn, "address": peerAddress])
            return [.register(TerminalRegistration(sn: sn, devinfoJSON: nil, address: peerAddress,
                                                   seenAt: timeSource.wallClock))]
        }

        if serialNumbersWarnedAbout.insert(sn).inserted {
            logger.warning("records name another serial number than the terminal registered with; kept under theirs",
                           ["sn": registered, "records_sn": sn, "address": peerAddress])
        }
        return []
    }

    /// A `sendlog` without a `record` array: the whole message is quarantined, so that the terminal
    /// is acknowledged (it would send it forever otherwise) and nothing it sent is lost.
    private func storeUnreadable(_ message: TerminalMessage, sn: String, count: JSONValue, logindex: JSONValue?,
                                 _ details: LogMetadata) -> TerminalEffect {
        let reason = message.body["record"] == nil ? "sendlog has no record" : "sendlog record is not an array"
        let quarantined = QuarantinedRecord(sn: sn, raw: JSONValue.object(message.body).description, reason: reason)
        let batch = makeBatch(sn: sn, ParsedRecords(records: [], quarantined: [quarantined]))
        acknowledgements.append(batchID: batch.id, count: count, logindex: logindex)
        let batchDetails: LogMetadata = ["batch": String(batch.id), "reason": reason]
        logger.debug("unreadable sendlog quarantined", details.merging(batchDetails) { $1 })
        return .store(batch)
    }

    /// A `sendlog` that is not valid JSON: kept whole in quarantine and acknowledged with the `count` and
    /// `logindex` it seems to carry, so the terminal moves on to its next records instead of resending
    /// this message forever. Refused like any `sendlog` when its serial number may not send here.
    private func quarantineMalformed(_ text: [UInt8], _ salvaged: MalformedSendlog, error: Error) -> [TerminalEffect] {
        guard let sn = salvaged.sn ?? serialNumber else {
            logger.debug("unreadable sendlog without a serial number ignored", context(["reason": "\(error)"]))
            return []
        }
        if let reason = refusedBySiteRules {
            return [send(TerminalReplies.recordsRefused(reason: reason))]
        }
        var effects: [TerminalEffect] = []
        if sn != serialNumber {
            if let reason = refusalReason(for: sn) {
                return [send(TerminalReplies.recordsRefused(reason: reason))]
            }
            effects += adoptOrNote(sn)
        }

        let reason = "sendlog is not valid JSON: \(error)"
        let quarantined = QuarantinedRecord(sn: sn, raw: String(decoding: text, as: UTF8.self), reason: reason)
        let batch = makeBatch(sn: sn, ParsedRecords(records: [], quarantined: [quarantined]))
        let count = salvaged.count ?? .integer(0)
        acknowledgements.append(batchID: batch.id, count: count, logindex: salvaged.logindex)
        logger.warning("unreadable sendlog quarantined; the terminal's firmware sends broken JSON", context([
            "sn": sn, "count": count.description, "logindex": salvaged.logindex?.description ?? "-",
            "reason": "\(error)",
        ]))
        effects.append(.store(batch))
        return effects
    }

    /// An empty `record` array has nothing to store; its acknowledgement still waits for the batches
    /// received before it, so acknowledgements keep their order.
    private func acknowledgeEmpty(count: JSONValue, logindex: JSONValue?, _ details: LogMetadata) -> [TerminalEffect] {
        acknowledgements.appendReady(count: count, logindex: logindex)
        logger.debug("empty sendlog, nothing to store", details)
        return dueAcknowledgements()
    }

    private func makeBatch(sn: String, _ parsed: ParsedRecords) -> RecordBatch {
        let id = nextBatchID
        nextBatchID += 1
        return RecordBatch(id: id, sn: sn, records: parsed.records, quarantined: parsed.quarantined,
                           receivedAt: timeSource.wallClock)
    }

    private static func firstRecordSN(_ entries: [JSONValue]) -> String? {
        for entry in entries {
            if let text = entry["sn"]?.string?.trimmingASCIIBlanks(), !text.isEmpty { return text }
        }
        return nil
    }

    // MARK: - Replies

    private func dueAcknowledgements() -> [TerminalEffect] {
        acknowledgements.takeDue().compactMap { entry in
            let details: LogMetadata = [
                "count": entry.count.description, "logindex": entry.logindex?.description ?? "-",
            ]
            switch entry.outcome {
            case .acknowledge:
                break
            case .failed:
                return nil
            case .withheld:
                logger.debug("acknowledgement withheld after a failed batch", context(details))
                return nil
            }
            logger.debug("records acknowledged", context(details))
            let verdict = entry.verdict ?? AccessVerdict(access: true)
            return send(TerminalReplies.recordsAcknowledged(
                count: entry.count, logindex: entry.logindex, cloudtime: cloudtime(), verdict: verdict,
                defaultMessage: configuration.ackMessage
            ))
        }
    }

    private func send(_ reply: JSONValue) -> TerminalEffect {
        .send(JSONWriter().bytes(reply))
    }

    private func cloudtime() -> String {
        configuration.siteTime.format(timeSource.wallClock)
    }

    /// Log metadata naming this connection.
    private func context(_ extra: LogMetadata) -> LogMetadata {
        var metadata = extra
        metadata["address"] = peerAddress
        if metadata["sn"] == nil, let serialNumber { metadata["sn"] = serialNumber }
        return metadata
    }
}
