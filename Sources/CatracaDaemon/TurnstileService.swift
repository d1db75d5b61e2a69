import CatracaCore
import CatracaGPIO
import CatracaServer
import CatracaStore
import CatracaTerminal
import CatracaTurnstile
import Foundation

/// Turns the terminals' grants and the turnstile boards' pulses into stored passages, on the event loop.
///
/// Every input is stored before the joiner sees it: a grant is kept in its record's transaction (the store
/// is told which records are grants), a rotation is stored as soon as its pulse ends, and a passage closes
/// them in its own transaction. So a restart finds exactly the inputs still open and hands them back to the
/// joiner with their ages: no passage is lost or counted twice.
///
/// Windows are closed `settleTime` late: a pulse is delivered only once it has ended, so a turn that started
/// inside a grant's window may reach the joiner after the window's end. An operator's open-door grant is not
/// stored (it is no record) and does not survive a restart.
final class TurnstileService {
    let loop: EventLoop
    let layout: TurnstileLayout
    private let writer: StoreWriter
    private let logger: Logger
    /// Told of every passage and unauthorised rotation as it closes (the plugins' `on_passage` hooks).
    var passageClosed: ((PassageRow) -> Void)?
    private var joiner: PassageJoiner
    private(set) var inputs: [TurnstileID: TurnstileInput] = [:]
    /// Each input's pulse filter: what it takes for a turn, and what it drops as noise or a stuck line.
    private(set) var filters: [TurnstileID: PulseFilterSettings] = [:]
    private var timer: TimerHandle?
    private var timerDeadline: Instant?
    /// Rotations on their way to the store: the joiner's windows wait for them.
    private var rotationsInFlight = 0
    /// When the turns handed back at a restart really happened (the joiner only knows their ages), by row id.
    private var restoredTurnTimes: [Int64: Date] = [:]
    private let passages: Counter
    /// Where closed passages are announced to the status page.
    var events: OperatorEvents?
    /// Told on the store's thread when a passage's transaction has committed (the benchmark's end point).
    var passageCommitted: (@Sendable (Passage) -> Void)?

    /// How late windows are closed, so that a turn reported at the end of its pulse still finds its grant.
    static let settleTime = TimeSpan.seconds(1)

    init(loop: EventLoop, writer: StoreWriter, layout: TurnstileLayout, joiner: JoinerConfiguration,
         metrics: MetricsRegistry, logger: Logger) {
        self.loop = loop
        self.writer = writer
        self.layout = layout
        self.logger = logger
        self.joiner = PassageJoiner(layout: layout, configuration: joiner)
        passages = metrics.counter("catraca_passages_total", help: "Passages closed, by turnstile and outcome.",
                                   labels: ["turnstile", "outcome"])
    }

    /// The store's test of whether a newly stored record is a grant, and at which turnstile: a successful
    /// verification at a placed terminal (`Grant.from`) whose terminal time, read in the site's zone, is within
    /// `maxAge` of this box's clock. nil `maxAge` takes any time.
    static func grantTurnstile(layout: TurnstileLayout, siteTime: SiteTime, maxAge: TimeSpan?,
                               wallClock: @escaping @Sendable () -> Date = { Date() })
        -> @Sendable (AccessRecord) -> String?
    {
        { record in
            guard let grant = Grant.from(record: record, layout: layout, arrivedAt: .zero) else { return nil }
            if let maxAge {
                // Fixed-width local times compare in order as text.
                let now = wallClock()
                let earliest = siteTime.format(now.addingTimeInterval(-maxAge.seconds))
                let latest = siteTime.format(now.addingTimeInterval(maxAge.seconds))
                guard record.identity.time >= earliest, record.identity.time <= latest else { return nil }
            }
            return grant.turnstile.name
        }
    }

    // MARK: Starting and stopping

    /// Opens each turnstile's input (GPIO, or simulated when the box has no chip). Call on the loop thread
    /// before it runs; a chip that is configured and cannot be opened is a start error.
    func startInputs(_ settings: [String: Configuration.Turnstile]) throws {
        for name in settings.keys.sorted() {
            let id = TurnstileID(name)
            let configuration = Configuration.inputConfiguration(settings[name]!.gpio)
            let input = try TurnstileInputChooser.makeInput(
                configuration: configuration, loop: loop,
                logger: logger.child(label: "gpio", metadata: ["turnstile": name]))
            try input.start { [weak self] event in self?.handle(event, at: id) }
            inputs[id] = input
            filters[id] = configuration.filter
            logger.info("turnstile input ready", ["turnstile": name, "input": input.summary])
        }
    }

    func stop() {
        for input in inputs.values { input.stop() }
        if let timer { loop.cancelTimer(timer) }
        timer = nil
    }

    /// Hands the joiner what was open when the daemon last stopped. Call once, before any input.
    func restore(from reader: StoreReader) throws {
        let now = loop.timeSource.now
        let wallNow = loop.timeSource.wallClock
        var grants: [(grant: Grant, age: TimeSpan)] = []
        var unplaced: [Int64] = []
        for open in try reader.openGrants() {
            let age = TimeSpan.seconds(max(0, wallNow.timeIntervalSince(open.receivedAt)))
            let record = AccessRecord(identity: open.record.identity, verifyMode: open.record.verifyMode,
                                      temperature: open.record.temperature, name: open.record.name)
            let grant = Grant.from(record: record, layout: layout, arrivedAt: now, recordID: open.record.id)
            guard let grant else {
                unplaced.append(open.record.id)
                continue
            }
            grants.append((grant, age))
        }
        var rotations: [(rotation: Rotation, age: TimeSpan)] = []
        for open in try reader.openRotations() {
            let age = TimeSpan.seconds(max(0, wallNow.timeIntervalSince(open.row.fellAt)))
            let width = TimeSpan.seconds(open.row.widthMilliseconds / 1_000)
            let direction = Direction(rawValue: open.row.direction) ?? .a
            rotations.append((Rotation(turnstile: TurnstileID(open.row.turnstile), direction: direction,
                                       fellAt: now, roseAt: now + width, rotationID: open.id), age))
            restoredTurnTimes[open.id] = open.row.fellAt
        }
        if !unplaced.isEmpty { settle(rotationIDs: [], recordIDs: unplaced) }
        if !grants.isEmpty || !rotations.isEmpty {
            logger.info("turnstile inputs restored",
                        ["grants": String(grants.count), "rotations": String(rotations.count)])
        }
        perform(joiner.restore(openGrants: grants, waitingRotations: rotations, now: now))
    }

    // MARK: Inputs

    /// Records a terminal sent were stored; those the store found to be grants go to the joiner.
    func recordsStored(_ batch: RecordBatch, outcome: BatchOutcome) {
        let now = loop.timeSource.now
        for newGrant in outcome.grants where batch.records.indices.contains(newGrant.index) {
            let record = batch.records[newGrant.index]
            guard let grant = Grant.from(record: record, layout: layout, arrivedAt: now, recordID: newGrant.recordID)
            else { continue }
            logger.debug("grant", ["turnstile": grant.turnstile.name, "sn": grant.sn ?? "-",
                                   "enrollid": grant.enrollid.map(String.init) ?? "-"])
            perform(joiner.grant(grant))
        }
    }

    /// Who opened a terminal's door with its `opendoor` command.
    enum DoorOpener {
        case operatorRequest
        case plugin(String)
    }

    /// Records whose grants must open no window (the site's rules refused them, or a listing brought them back
    /// from the terminal's past): their grants are marked closed, so a restart does not hand them back either.
    func grantsWithdrawn(_ outcome: BatchOutcome) {
        guard !outcome.grants.isEmpty else { return }
        logger.debug("grants withdrawn", ["records": String(outcome.grants.count)])
        settle(rotationIDs: [], recordIDs: outcome.grants.map(\.recordID))
    }

    /// A door of terminal `sn` was opened on request: a grant at its turnstile, for whoever passes.
    func doorOpened(sn: String, by opener: DoorOpener) {
        guard let placement = layout.placement(of: sn) else { return }
        let grant = Grant(turnstile: placement.turnstile, kind: .openDoor, sn: sn, side: placement.side,
                          arrivedAt: loop.timeSource.now)
        switch opener {
        case .operatorRequest:
            logger.info("door opened by an operator; a grant at the turnstile",
                        ["turnstile": grant.turnstile.name, "sn": sn])
        case .plugin(let plugin):
            logger.info("door opened by a plugin; a grant at the turnstile",
                        ["turnstile": grant.turnstile.name, "sn": sn, "plugin": plugin])
        }
        perform(joiner.grant(grant))
    }

    /// The site's rules accepted a QR code read at terminal `sn` (for `enrollid`, named `name`, when they said
    /// who): a `serverAllow` grant at its turnstile, so the visitor's turn is a passage.
    func qrcodeAllowed(sn: String, enrollid: Int64?, name: String?) {
        let now = loop.timeSource.now
        guard let grant = Grant.serverAllow(qrcodeAt: sn, enrollid: enrollid, layout: layout, arrivedAt: now)
        else { return }
        logger.info("QR code accepted; a grant at the turnstile", ["turnstile": grant.turnstile.name, "sn": sn,
                                                                   "enrollid": enrollid.map(String.init) ?? "-",
                                                                   "name": name ?? "-"])
        perform(joiner.grant(grant))
    }

    /// What the input's filter will make of a pulse of `duration`: nil for a turn, else why it is none.
    func pulseVerdict(turnstile name: String, duration: TimeSpan) -> String? {
        guard let filter = filters[TurnstileID(name)] else { return nil }
        if duration < filter.minPulse {
            return "shorter than the filter's minimum pulse (\(filter.minPulse)): noise, not a turn"
        }
        if duration > filter.maxPulse {
            return "longer than the filter's maximum pulse (\(filter.maxPulse)): a stuck line, not a turn"
        }
        return nil
    }

    /// Drives one pulse on a simulated input (the API's and the CLI's hand on the turnstile).
    func pulse(turnstile name: String, line: TurnstileLine, duration: TimeSpan) throws {
        guard let input = inputs[TurnstileID(name)] else { throw TurnstileServiceError.unknownTurnstile(name) }
        guard let simulated = input as? SimulatedInput else {
            throw TurnstileServiceError.notSimulated(turnstile: name, input: input.summary)
        }
        simulated.pulse(line, duration: duration)
    }

    private func handle(_ event: PulseFilterEvent, at turnstile: TurnstileID) {
        switch event {
        case .pulse(let pulse):
            rotationTurned(pulse, at: turnstile)
        case .spike(let line, _, let width):
            logger.debug("pulse too short to be a turn; ignored",
                         ["turnstile": turnstile.name, "line": line.rawValue, "width_ms": format(width)])
        case .stuck(let line, _):
            logger.warning("turnstile line held active; check the board and its wiring",
                           ["turnstile": turnstile.name, "line": line.rawValue])
        case .unstuck(let line, _, let width):
            logger.info("turnstile line released", ["turnstile": turnstile.name, "line": line.rawValue,
                                                    "held_ms": format(width)])
        }
    }

    private func rotationTurned(_ pulse: Pulse, at turnstile: TurnstileID) {
        let direction: Direction = pulse.line == .fireIn ? .a : .b
        let row = RotationRow(turnstile: turnstile.name, direction: direction.rawValue, fellAt: wallClock(pulse.fellAt),
                              widthMilliseconds: pulse.width.milliseconds)
        rotationsInFlight += 1
        writer.submit(row) { [weak self, loop] result in
            loop.execute { self?.rotationStored(pulse, direction: direction, at: turnstile, result) }
        }
    }

    private func rotationStored(_ pulse: Pulse, direction: Direction, at turnstile: TurnstileID,
                                _ result: Result<Int64, StoreError>) {
        rotationsInFlight -= 1
        var rotation = Rotation(turnstile: turnstile, direction: direction, fellAt: pulse.fellAt, roseAt: pulse.roseAt)
        switch result {
        case .success(let id):
            rotation.rotationID = id
        case .failure(let error):
            // Joined all the same: the passage is what matters, and it is stored on its own.
            logger.warning("rotation not stored; joined without its row", ["turnstile": turnstile.name,
                                                                           "error": "\(error)"])
        }
        logger.debug("rotation", ["turnstile": turnstile.name, "direction": direction.rawValue,
                                  "width_ms": format(pulse.width)])
        perform(joiner.rotation(rotation))
    }

    // MARK: Effects

    private func perform(_ effects: [JoinerEffect]) {
        for effect in effects {
            switch effect {
            case .passage(let passage):
                store(passage)
            case .ignoredGrant(let grant, let reason):
                logger.info("grant set aside", ["turnstile": grant.turnstile.name, "sn": grant.sn ?? "-",
                                                "reason": reason.rawValue])
                if let id = grant.grantID { settle(rotationIDs: [], recordIDs: [id]) }
            case .ignoredRotation(let rotation, let reason):
                logger.debug("rotation set aside", [
                    "turnstile": rotation.turnstile.name, "direction": rotation.direction.rawValue,
                    "reason": reason.rawValue,
                ])
                if let id = rotation.rotationID { settle(rotationIDs: [id], recordIDs: []) }
            }
        }
        armTimer()
    }

    private func store(_ passage: Passage) {
        var row = PassageRows.row(passage, wallClock: wallClock)
        if let id = passage.rotation?.rotationID, let turnedAt = restoredTurnTimes.removeValue(forKey: id) {
            row.fellAt = turnedAt
        }
        passageClosed?(row)
        passages.increment(labels: [row.turnstile, row.outcome])
        let context: LogMetadata = [
            "turnstile": row.turnstile, "outcome": row.outcome, "sn": row.sn ?? "-",
            "enrollid": row.enrollid.map(String.init) ?? "-", "direction": row.direction ?? "-",
        ]
        if passage.outcome == .unauthorisedRotation {
            logger.warning("unauthorised rotation: the turnstile turned without a grant", context)
        } else {
            logger.info("passage", context)
        }
        events?.publish(.passageClosed(row))
        writer.submit(row) { [logger, passageCommitted] result in
            switch result {
            case .success:
                passageCommitted?(passage)
            case .failure(let error):
                logger.error("passage not stored", context.merging(["error": "\(error)"]) { $1 })
            }
        }
    }

    private func settle(rotationIDs: [Int64], recordIDs: [Int64]) {
        writer.submitSettled(rotationIDs: rotationIDs, recordIDs: recordIDs) { [logger] result in
            if case .failure(let error) = result {
                logger.warning("closed turnstile inputs not marked; a restart hands them back", ["error": "\(error)"])
            }
        }
    }

    private func armTimer() {
        let deadline = joiner.nextDeadline.map { $0 + TurnstileService.settleTime }
        guard deadline != timerDeadline else { return }
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        timerDeadline = deadline
        guard let deadline else { return }
        timer = loop.scheduleTimer(at: deadline) { [weak self] in self?.deadlineReached() }
    }

    private func deadlineReached() {
        timer = nil
        timerDeadline = nil
        guard rotationsInFlight == 0 else {
            // A turn is on its way from the store; closing windows now could leave it without its grant.
            timerDeadline = loop.timeSource.now + .milliseconds(10)
            timer = loop.scheduleTimer(at: timerDeadline!) { [weak self] in self?.deadlineReached() }
            return
        }
        let settled = TimeSpan(nanoseconds: -TurnstileService.settleTime.nanoseconds)
        perform(joiner.expire(now: loop.timeSource.now + settled))
    }

    /// The wall-clock time of a monotonic instant, for people and the store.
    private func wallClock(_ instant: Instant) -> Date {
        let ago = loop.timeSource.now.since(instant)
        return loop.timeSource.wallClock.addingTimeInterval(-ago.seconds)
    }

    private func format(_ span: TimeSpan) -> String { String(format: "%.1f", span.milliseconds) }
}

/// Why a turnstile could not be driven by hand.
enum TurnstileServiceError: Error, CustomStringConvertible {
    case unknownTurnstile(String)
    case notSimulated(turnstile: String, input: String)

    var description: String {
        switch self {
        case .unknownTurnstile(let name):
            return "no turnstile named \(name) in this site's configuration (turnstiles)"
        case .notSimulated(let name, let input):
            return "turnstile \(name) reads real GPIO (\(input)); pulses can be driven only on a simulated input"
        }
    }
}
