import CatracaCore
import CatracaStore
import CatracaTurnstile
import Foundation

/// A joined passage as the store keeps it.
enum PassageRows {
    static func row(_ passage: Passage, wallClock: (Instant) -> Date) -> PassageRow {
        let grant = passage.grant
        let recordGrants = ([grant].compactMap { $0 } + passage.reverifications).filter { $0.kind != .openDoor }
        return PassageRow(
            turnstile: passage.turnstile.name, outcome: outcome(passage.outcome),
            direction: passage.direction?.rawValue, side: passage.side?.rawValue,
            turnedAgainstGrant: passage.turnedAgainstGrant, grantKind: grant.map { kind($0.kind) },
            sn: grant?.sn, enrollid: grant?.enrollid, recordID: grant?.kind == .openDoor ? nil : grant?.grantID,
            closedRecordIDs: recordGrants.compactMap(\.grantID), rotationID: passage.rotation?.rotationID,
            fellAt: passage.rotation.map { wallClock($0.fellAt) }, closedAt: wallClock(passage.closedAt))
    }

    static func outcome(_ outcome: PassageOutcome) -> String {
        switch outcome {
        case .turnedA: return "turned_a"
        case .turnedB: return "turned_b"
        case .notTurned: return "not_turned"
        case .unauthorisedRotation: return "unauthorised_rotation"
        }
    }

    static func kind(_ kind: GrantKind) -> String {
        switch kind {
        case .record: return "record"
        case .serverAllow: return "server_allow"
        case .openDoor: return "open_door"
        }
    }
}
