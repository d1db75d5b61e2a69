import CatracaCore
import CatracaJSON

/// The commands waiting for one terminal, sent one at a time.
///
/// Replies carry no request id, only the command's name, so a second command in flight could take the
/// first one's reply. The queue therefore keeps exactly one command outstanding; the others wait their
/// turn in arrival order. A listing keeps its turn until its last page, so two operators' listings never
/// interleave.
///
/// A reply that comes after its command timed out could still be taken for the next command of the same
/// name. After a timeout (or an undocumented reply's short wait) the next command of that name is held
/// back for `lateReplyGrace`, or until the late reply has come and been dropped; and a reply naming another
/// `enrollid` than the waiting command asked about is dropped whenever it comes. Known shortcoming: a reply
/// that names no person (`getusername` answers with the name only) and comes later than the grace is taken
/// for the next command of its name.
///
/// No I/O: the caller writes `.send` effects to the terminal, reports its messages with `receive`, calls
/// `expire` once `nextDeadline` has passed and `terminalDisconnected` when the connection ends.
/// Not thread-safe; one connection's events are handled one at a time.
public final class CommandQueue {
    /// Names one queued command for its caller.
    public struct Ticket: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt64
        public var description: String { String(rawValue) }
    }

    /// What `cancel` did.
    public enum Cancellation: Equatable, Sendable {
        /// The command was still waiting: it is gone and will never be sent; its caller gets no result.
        case withdrawn
        /// The command was already sent: the terminal may have acted. Its reply is still awaited (so that it
        /// is not taken for the next command's) and its result still finishes it.
        case alreadySent
        /// No such command here: it finished already.
        case notQueued
    }

    /// What the caller must do, in order.
    public enum Effect: Equatable, Sendable {
        /// Write this JSON text message to the terminal.
        case send([UInt8])
        /// A page of a log listing came in: store these record entries (photos included).
        case logPage(Ticket, entries: [JSONValue])
        /// The command is done; give its caller this result.
        case finish(Ticket, Result<CommandOutcome, CommandFailure>)
    }

    private struct Job {
        let ticket: Ticket
        let command: TerminalCommand
        let replyTimeout: TimeSpan
    }

    private struct Outstanding {
        let job: Job
        var deadline: Instant?
        var listing: CommandListing?
    }

    public let sn: String
    private let configuration: CommandQueueConfiguration
    private let timeSource: TimeSource
    private let logger: Logger
    private var waiting: [Job] = []
    private var outstanding: Outstanding?
    /// A command name whose late reply may still come, and until when it is expected.
    private var lateReply: (name: String, until: Instant)?
    private var nextTicket: UInt64 = 1

    public init(sn: String, configuration: CommandQueueConfiguration, timeSource: TimeSource, logger: Logger) {
        self.sn = sn
        self.configuration = configuration
        self.timeSource = timeSource
        self.logger = logger
    }

    /// How long a late reply is waited for before the next command of the same name is sent anyway.
    public var lateReplyGrace: TimeSpan { configuration.unansweredWait }

    /// Commands waiting, the one in progress included.
    public var count: Int { waiting.count + (outstanding == nil ? 0 : 1) }

    /// When `expire` must next be called; nil when nothing waits on the clock.
    public var nextDeadline: Instant? {
        if let deadline = outstanding?.deadline { return deadline }
        if outstanding == nil, let first = waiting.first, let lateReply, lateReply.name == first.command.name {
            return lateReply.until
        }
        return nil
    }

    /// Queues `command`; `replyTimeout` nil uses the configured one. A full queue refuses at once.
    public func enqueue(_ command: TerminalCommand, replyTimeout: TimeSpan? = nil) -> (Ticket, [Effect]) {
        let ticket = Ticket(rawValue: nextTicket)
        nextTicket += 1
        guard count < configuration.maxQueued else {
            let failure = CommandFailure.queueFull(sn: sn, limit: configuration.maxQueued)
            return (ticket, [.finish(ticket, .failure(failure))])
        }
        waiting.append(Job(ticket: ticket, command: command, replyTimeout: replyTimeout ?? configuration.replyTimeout))
        logger.debug("command queued", ["sn": sn, "cmd": command.name, "ticket": ticket.description,
                                        "queued": String(count)])
        return (ticket, startNext())
    }

    /// Takes a terminal message that may answer the outstanding command (tagged `"ret"`, or `"cmd"` as
    /// some firmwares do). Returns nil when it answers nothing waiting here.
    public func receive(_ message: TerminalMessage) -> [Effect]? {
        guard let current = outstanding, message.name == current.job.command.name,
              current.job.command.expectation != .none else {
            return dropLateReply(message)
        }
        if let asked = current.job.command.fields["enrollid"]?.int64, let answered = message.body["enrollid"]?.int64,
           asked != answered {
            // A reply naming another person answers an earlier command that timed out, however late it is.
            logger.debug("reply names another enrollid than the command waiting; dropped as a late reply",
                         ["sn": sn, "cmd": message.name, "enrollid": String(answered), "waiting": String(asked)])
            return []
        }
        if message.body["result"]?.bool == false {
            return finish(.failure(refusal(message.body, command: current.job.command.name)))
        }
        guard let paging = current.job.command.paging else {
            return finish(.success(.replied(message.body)))
        }
        return takePage(message.body, paging: paging)
    }

    /// Ends what waited past its deadline: a timeout, or an undocumented reply's wait ending as sent.
    public func expire() -> [Effect] {
        let now = timeSource.now
        if let current = outstanding, let deadline = current.deadline, deadline <= now {
            lateReply = (current.job.command.name, now + lateReplyGrace)
            if current.job.command.expectation == .replyIfAny {
                logger.debug("no reply within the short wait; taken as sent",
                             ["sn": sn, "cmd": current.job.command.name])
                return finish(.success(.sent))
            }
            let seconds = current.job.replyTimeout.seconds
            logger.info("terminal did not answer a command in time",
                        ["sn": sn, "cmd": current.job.command.name, "timeout_s": String(seconds)])
            return finish(.failure(.timeout(sn: sn, seconds: seconds)))
        }
        if let lateReply, lateReply.until <= now { self.lateReply = nil }
        return startNext()
    }

    /// Withdraws a command whose caller has gone, if it has not been sent yet. Returns what happened and the
    /// effects to perform: withdrawing the command at the head of the line may let the next one go.
    public func cancel(_ ticket: Ticket) -> (Cancellation, [Effect]) {
        if outstanding?.job.ticket == ticket {
            logger.info("caller gone after its command was sent; the terminal may have acted, its reply is dropped",
                        ["sn": sn, "cmd": outstanding?.job.command.name ?? "", "ticket": ticket.description])
            return (.alreadySent, [])
        }
        guard let index = waiting.firstIndex(where: { $0.ticket == ticket }) else { return (.notQueued, []) }
        let job = waiting.remove(at: index)
        logger.info("caller gone before its command was sent; command withdrawn",
                    ["sn": sn, "cmd": job.command.name, "ticket": ticket.description, "queued": String(count)])
        return (.withdrawn, startNext())
    }

    /// The connection ended: every command fails, the one in progress and those waiting.
    public func terminalDisconnected() -> [Effect] {
        var jobs = waiting
        if let current = outstanding { jobs.insert(current.job, at: 0) }
        waiting.removeAll()
        outstanding = nil
        return jobs.map { .finish($0.ticket, .failure(.disconnected(sn: sn))) }
    }

    // MARK: - Steps

    private func startNext() -> [Effect] {
        guard outstanding == nil, let job = waiting.first else { return [] }
        if let lateReply, lateReply.name == job.command.name, timeSource.now < lateReply.until {
            logger.debug("command held back while a late reply may still come", ["sn": sn, "cmd": job.command.name])
            return []
        }
        waiting.removeFirst()
        let listing = job.command.paging.map { CommandListing(paging: $0, maxPages: configuration.maxPages) }
        outstanding = Outstanding(job: job, deadline: deadline(for: job), listing: listing)
        let send = Effect.send(JSONWriter().bytes(.object(job.command.message(stn: listing == nil ? nil : true))))
        logger.debug("command sent", ["sn": sn, "cmd": job.command.name, "ticket": job.ticket.description])
        guard job.command.expectation == .none else { return [send] }
        return [send] + finish(.success(.sent))
    }

    private func deadline(for job: Job) -> Instant? {
        switch job.command.expectation {
        case .none: return nil
        case .reply: return timeSource.now + job.replyTimeout
        case .replyIfAny: return timeSource.now + min(job.replyTimeout, configuration.unansweredWait)
        }
    }

    private func takePage(_ reply: JSONObject, paging: CommandPaging) -> [Effect] {
        guard var current = outstanding, var listing = current.listing else { return [] }
        let step = listing.add(reply)
        current.listing = listing
        outstanding = current
        var effects: [Effect] = []
        if paging == .logs {
            let entries = ReplyPage(reply: reply).entries
            if !entries.isEmpty { effects.append(.logPage(current.job.ticket, entries: entries)) }
        }

        switch step {
        case .next:
            current.deadline = timeSource.now + current.job.replyTimeout
            outstanding = current
            let message = current.job.command.message(stn: false)
            return effects + [.send(JSONWriter().bytes(.object(message)))]
        case .complete(let merged):
            logger.debug("listing complete",
                         ["sn": sn, "cmd": current.job.command.name, "pages": String(listing.pages)])
            return effects + finish(.success(.replied(merged)))
        case .broken(let detail):
            logger.warning("listing cut off", ["sn": sn, "cmd": current.job.command.name, "reason": detail])
            return effects + finish(.failure(.protocolError(sn: sn, detail: detail)))
        }
    }

    private func finish(_ result: Result<CommandOutcome, CommandFailure>) -> [Effect] {
        guard let current = outstanding else { return [] }
        outstanding = nil
        return [.finish(current.job.ticket, result)] + startNext()
    }

    private func refusal(_ reply: JSONObject, command: String) -> CommandFailure {
        let reason = reply["reason"] ?? reply["reson"]
        return .refused(sn: sn, reason: reason, text: CommandReplies.refusalText(command: command, reply: reply),
                        reply: reply)
    }

    /// A reply to a command that already timed out: dropped, and the command held back behind it may go.
    private func dropLateReply(_ message: TerminalMessage) -> [Effect]? {
        guard let lateReply, lateReply.name == message.name else { return nil }
        self.lateReply = nil
        logger.debug("late reply dropped", ["sn": sn, "cmd": message.name])
        return startNext()
    }
}
