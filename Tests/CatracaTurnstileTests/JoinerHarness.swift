import CatracaCore
import CatracaTerminal
@testable import CatracaTurnstile

/// The test site: turnstile `main` (in = A) with a terminal on each side, and turnstile `pass` (in = B)
/// whose entry terminal runs the TurnstilePass firmware.
enum TestSite {
    static let entryTerminal = "ENTRY0001"
    static let exitTerminal = "EXIT00001"
    static let turnstilePassTerminal = "TPASS0001"
    static let unplacedTerminal = "LOBBY0001"

    static func layout() throws -> TurnstileLayout {
        try TurnstileLayout(
            inDirections: ["main": .a, "pass": .b],
            placements: [
                entryTerminal: TerminalPlacement(turnstile: "main", side: .entry),
                exitTerminal: TerminalPlacement(turnstile: "main", side: .exit),
                turnstilePassTerminal: TerminalPlacement(turnstile: "pass", side: .entry, reportsTurns: true),
            ])
    }

    static func record(sn: String, enrollid: Int64, event: Int = 0, inOut: Int = 0,
                       time: String = "2023-12-23 13:49:30") -> AccessRecord {
        AccessRecord(identity: RecordIdentity(sn: sn, enrollid: enrollid, time: time, mode: 8, inOut: inOut,
                                              event: event))
    }
}

/// Drives a joiner with a fake clock the way the daemon does: inputs stamped with the clock's time, and
/// `expire` called at every `nextDeadline` while time passes.
final class JoinerHarness {
    let clock = ManualTimeSource(now: Instant(nanoseconds: 1_000_000_000_000))
    var joiner: PassageJoiner
    var effects: [JoinerEffect] = []
    /// Every input fed, as the daemon's store would keep them.
    var fedGrants: [Grant] = []
    var fedRotations: [Rotation] = []
    private var nextID: Int64 = 1

    init(configuration: JoinerConfiguration = .defaults) throws {
        joiner = PassageJoiner(layout: try TestSite.layout(), configuration: configuration)
    }

    var passages: [Passage] {
        effects.compactMap { if case .passage(let passage) = $0 { return passage } else { return nil } }
    }

    var outcomes: [PassageOutcome] { passages.map(\.outcome) }

    /// Feeds a record from `sn` as the daemon would; returns the grant fed, or nil when it was no grant.
    @discardableResult
    func record(sn: String, enrollid: Int64, event: Int = 0, inOut: Int = 0) -> Grant? {
        let record = TestSite.record(sn: sn, enrollid: enrollid, event: event, inOut: inOut)
        guard let grant = Grant.from(record: record, layout: joiner.layout, arrivedAt: clock.now,
                                     recordID: takeID()) else { return nil }
        feed(grant)
        return grant
    }

    /// Feeds a grant built by hand (an open-door, a server allow), giving it a store key.
    func feed(_ grant: Grant) {
        var grant = grant
        grant.grantID = grant.grantID ?? takeID()
        fedGrants.append(grant)
        effects += joiner.grant(grant)
    }

    /// A pulse of `width` that fell now; the clock moves to its rising edge, where the reader delivers it.
    @discardableResult
    func turn(_ direction: Direction, at turnstile: TurnstileID = "main",
                       width: TimeSpan = .milliseconds(80)) -> Rotation {
        let fell = clock.now
        clock.advance(by: width)
        let rotation = Rotation(turnstile: turnstile, direction: direction, fellAt: fell, roseAt: clock.now,
                                rotationID: takeID())
        fedRotations.append(rotation)
        effects += joiner.rotation(rotation)
        return rotation
    }

    /// Lets `span` pass, firing the joiner's deadlines on the way as the daemon's timer would.
    func wait(_ span: TimeSpan) {
        let end = clock.now + span
        while let deadline = joiner.nextDeadline, deadline <= end {
            if deadline > clock.now { clock.advance(by: deadline.since(clock.now)) }
            effects += joiner.expire(now: clock.now)
        }
        clock.advance(by: end.since(clock.now))
        effects += joiner.expire(now: clock.now)
    }

    func wait(seconds: Double) { wait(.seconds(seconds)) }

    /// The store keys of every grant and rotation an effect closed, once per effect that names them.
    var closedKeys: [String] {
        effects.flatMap { effect -> [String] in
            switch effect {
            case .passage(let passage):
                let grants = ([passage.grant].compactMap { $0 } + passage.reverifications).map { "g\($0.grantID!)" }
                return grants + [passage.rotation].compactMap { $0.map { "r\($0.rotationID!)" } }
            case .ignoredGrant(let grant, _):
                return ["g\(grant.grantID!)"]
            case .ignoredRotation(let rotation, _):
                return ["r\(rotation.rotationID!)"]
            }
        }
    }

    /// Stops the joiner and starts a new one from what is fed and not closed, as the daemon does at start.
    func restart() {
        let closed = Set(closedKeys)
        let now = clock.now
        let openGrants = fedGrants.filter { !closed.contains("g\($0.grantID!)") }
            .map { (grant: $0, age: now.since($0.arrivedAt)) }
        let waitingRotations = fedRotations.filter { !closed.contains("r\($0.rotationID!)") }
            .map { (rotation: $0, age: now.since($0.fellAt)) }

        joiner = PassageJoiner(layout: joiner.layout, configuration: joiner.configuration)
        effects += joiner.restore(openGrants: openGrants, waitingRotations: waitingRotations, now: now)
    }

    private func takeID() -> Int64 {
        defer { nextID += 1 }
        return nextID
    }
}
