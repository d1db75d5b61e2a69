import CatracaCore
import CatracaJSON
import CatracaServer
import CatracaStore
import CatracaTerminal

/// Carries out one connected terminal's command queue: writes what it sends, arms its deadline on the
/// event loop, stores the records listings bring back, and answers each caller once.
///
/// A log listing's caller is answered only when every page's records are committed, with how many were
/// new; a page the store refuses fails the command (the records stay on the terminal: `getalllog` can
/// fetch them again).
final class TerminalCommandRunner {
    typealias Completion = (Result<CommandOutcome, CommandFailure>) -> Void

    /// A log listing's pages on their way to the store.
    private struct ListingStorage {
        var batchesInFlight = 0
        var new = 0
        var duplicates = 0
        var quarantined = 0
        var failure: String?
        /// The listing's result, held until its last page is committed.
        var result: Result<CommandOutcome, CommandFailure>?
    }

    let queue: CommandQueue
    /// Tells this runner from a later connection's, whose tickets start again at 1. Set on the event loop.
    let id: UInt64
    private static var runnersCreated: UInt64 = 0
    private let loop: EventLoop
    private let writer: StoreWriter
    private let logger: Logger
    private let metrics: DaemonMetrics
    private let send: ([UInt8]) -> Void
    private let makeBatch: ([JSONValue]) -> RecordBatch?
    /// Told each listing page's outcome once stored (its grants open no window).
    private let pageStored: (BatchOutcome) -> Void
    private var callers: [CommandQueue.Ticket: Completion] = [:]
    private var storage: [CommandQueue.Ticket: ListingStorage] = [:]
    private var timer: TimerHandle?
    private var timerDeadline: Instant?

    /// - Parameters:
    ///   - send: writes a text message to the terminal.
    ///   - makeBatch: turns a listing's record entries into a batch to store (the terminal session does).
    init(queue: CommandQueue, loop: EventLoop, writer: StoreWriter, logger: Logger, metrics: DaemonMetrics,
         send: @escaping ([UInt8]) -> Void, makeBatch: @escaping ([JSONValue]) -> RecordBatch?,
         pageStored: @escaping (BatchOutcome) -> Void = { _ in }) {
        self.pageStored = pageStored
        self.queue = queue
        TerminalCommandRunner.runnersCreated += 1
        self.id = TerminalCommandRunner.runnersCreated
        self.loop = loop
        self.writer = writer
        self.logger = logger
        self.metrics = metrics
        self.send = send
        self.makeBatch = makeBatch
    }

    /// Queues `command`; returns its ticket while it waits or runs, nil when it finished at once.
    @discardableResult
    func execute(_ command: TerminalCommand, replyTimeout: TimeSpan?, completion: @escaping Completion)
        -> CommandQueue.Ticket?
    {
        let (ticket, effects) = queue.enqueue(command, replyTimeout: replyTimeout)
        callers[ticket] = { [metrics] result in
            metrics.countCommand(command.name, result)
            completion(result)
        }
        perform(effects)
        return callers[ticket] == nil ? nil : ticket
    }

    /// The caller of `ticket` has gone: its command is withdrawn if not sent yet, and the caller is never
    /// answered. One already sent runs on; its result is counted and goes nowhere that still listens.
    func cancel(_ ticket: CommandQueue.Ticket) {
        let (cancellation, effects) = queue.cancel(ticket)
        if cancellation == .withdrawn { callers[ticket] = nil }
        perform(effects)
    }

    /// Offers a terminal message to the queue; false when it answers no command waiting here.
    func receive(_ message: TerminalMessage) -> Bool {
        guard let effects = queue.receive(message) else { return false }
        perform(effects)
        return true
    }

    /// The connection ended: every waiting caller is told.
    func terminalDisconnected() {
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        timerDeadline = nil
        perform(queue.terminalDisconnected())
    }

    private func perform(_ effects: [CommandQueue.Effect]) {
        for effect in effects {
            switch effect {
            case .send(let bytes):
                send(bytes)
            case .logPage(let ticket, let entries):
                store(entries, for: ticket)
            case .finish(let ticket, let result):
                finish(ticket, result)
            }
        }
        armTimer()
    }

    private func armTimer() {
        let deadline = queue.nextDeadline
        guard deadline != timerDeadline else { return }
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        timerDeadline = deadline
        guard let deadline else { return }
        timer = loop.scheduleTimer(at: deadline) { [weak self] in
            guard let self else { return }
            timer = nil
            timerDeadline = nil
            perform(queue.expire())
        }
    }

    // MARK: Listings

    private func store(_ entries: [JSONValue], for ticket: CommandQueue.Ticket) {
        guard let batch = makeBatch(entries) else { return }
        metrics.countReceived(batch)
        storage[ticket, default: ListingStorage()].batchesInFlight += 1
        // Held strongly: the caller is answered only once every page is committed, and the connection may be
        // gone (and have let go of this runner) by the time the store answers.
        writer.submit(batch) { [self, loop] result in
            loop.execute { self.pageCommitted(ticket, result) }
        }
    }

    private func pageCommitted(_ ticket: CommandQueue.Ticket, _ result: Result<BatchOutcome, StoreError>) {
        guard var entry = storage[ticket] else { return }
        entry.batchesInFlight -= 1
        switch result {
        case .success(let outcome):
            metrics.countStored(outcome)
            pageStored(outcome)
            entry.new += outcome.inserted
            entry.duplicates += outcome.duplicates
            entry.quarantined += outcome.quarantined
        case .failure(let error):
            entry.failure = entry.failure ?? "\(error)"
        }
        storage[ticket] = entry
        if entry.batchesInFlight == 0, let held = entry.result { answer(ticket, held) }
    }

    private func finish(_ ticket: CommandQueue.Ticket, _ result: Result<CommandOutcome, CommandFailure>) {
        guard var entry = storage[ticket], entry.batchesInFlight > 0 else { return answer(ticket, result) }
        entry.result = result
        storage[ticket] = entry
    }

    /// Answers the caller; a listing's reply gains what its records did in the store.
    private func answer(_ ticket: CommandQueue.Ticket, _ result: Result<CommandOutcome, CommandFailure>) {
        var result = result
        if let entry = storage.removeValue(forKey: ticket) {
            result = withStorage(result, entry)
        }
        callers.removeValue(forKey: ticket)?(result)
    }

    private func withStorage(_ result: Result<CommandOutcome, CommandFailure>, _ entry: ListingStorage)
        -> Result<CommandOutcome, CommandFailure>
    {
        if let failure = entry.failure {
            logger.warning("listed records not stored", ["sn": queue.sn, "error": failure])
            return .failure(.storeUnavailable(sn: queue.sn, detail: failure))
        }
        guard case .success(.replied(var reply)) = result else { return result }
        reply["stored"] = .object(JSONObject([
            .init(key: "new", value: .integer(entry.new)),
            .init(key: "duplicates", value: .integer(entry.duplicates)),
            .init(key: "quarantined", value: .integer(entry.quarantined)),
        ]))
        logger.info("listed records stored", ["sn": queue.sn, "new": String(entry.new),
                                              "duplicates": String(entry.duplicates)])
        return .success(.replied(reply))
    }
}
