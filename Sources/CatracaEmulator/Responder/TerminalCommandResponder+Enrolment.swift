import CatracaJSON
import Foundation

/// adduser: an enrolment on the terminal itself, and its cancel.
extension TerminalCommandResponder {
    /// Starts an enrolment that completes `options.enrolmentDuration` later (the user then holds a
    /// generated credential in `backupnum`: 50 face, 11 card, 40/41 palm, 0–9 fingerprint).
    /// While one runs another is refused with reason 3, `mesg` "device is working".
    /// `{"cancel": true}` ends the one in progress (and succeeds when there is none).
    func addUser(_ fields: CommandFields, at now: Date) throws -> JSONObject {
        if try fields.bool("cancel") == true {
            state.enrolment = nil
            return [:]
        }
        if state.enrolment != nil { throw CommandRefusal.busyEnrolling }

        let enrollid = try fields.enrollid()
        let slot = try fields.requiredInt("backupnum")
        guard slot == 50 || slot == 11 || slot == 40 || slot == 41 || (0...9).contains(slot) else {
            throw CommandRefusal.invalid("backupnum: \(slot) cannot be enrolled (50, 11, 40, 41 or 0-9)")
        }
        let admin = try fields.int("admin", in: 0...2) ?? state.users[enrollid]?.admin ?? 0
        let name = try fields.string("name") ?? ""
        _ = try fields.int("flag")

        state.enrolment = Enrolment(enrollid: enrollid, backupnum: slot, admin: admin, name: name, startedAt: now,
                                    completesAt: now.addingTimeInterval(options.enrolmentDuration.seconds))
        return [:]
    }
}
