import CatracaCore
import CatracaJSON
import Foundation

/// A call in progress: ringing phones, or a phone (or browser) connected with the terminal.
struct IntercomCall {
    var kind: CallSummary.Kind
    var sn: String
    /// Echoed in every message of the call, as the terminal or phone sent it.
    var calltype: JSONValue
    var inputMode: Int?
    var inputNumber: String?
    /// Phone connections still ringing, in the order they were rung.
    var ringing: [UInt64] = []
    /// The numbers of every phone rung.
    var rang: [String] = []
    /// The phone that answered, or the phone or browser watching.
    var peer: UInt64?
    var peerName: String?
    var startedAt: Instant
    var startedWall: Date
    var answeredAt: Instant?
    var answeredWall: Date?
    var ringDeadline: Instant?
    /// The terminal's offer and candidates sent before a phone accepted, for the phone that does.
    var held: [JSONObject] = []

    /// Messages kept for a phone that has not accepted yet; more are dropped (a terminal does not send this many).
    static let maxHeld = 64

    var sessionID: String { sn }

    /// The summary of this call ending now.
    func summary(ending: CallSummary.Ending, now: Instant, wall: Date) -> CallSummary {
        CallSummary(
            kind: kind, sn: sn, sessionID: sessionID, inputMode: inputMode, inputNumber: inputNumber, rang: rang,
            answeredBy: peerName, startedAt: startedWall, answeredAt: answeredWall, endedAt: wall,
            durationSeconds: now.since(startedAt).seconds, talkSeconds: answeredAt.map { now.since($0).seconds },
            ending: ending)
    }
}
