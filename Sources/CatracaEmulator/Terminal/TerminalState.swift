import Foundation

/// Everything an emulated terminal holds, free of I/O: what the server's commands change and read.
///
/// `TerminalCommandResponder` is the only writer while a terminal runs; tests build and inspect it
/// directly.
public struct TerminalState: Sendable {
    public var users: [Int: EmulatedUser] = [:]
    /// The terminal's log, oldest first.
    public var logs: [StoredLog] = []
    public var device = DeviceSettings()
    public var doorLock = DoorLockSettings()
    public var userLocks: [Int: UserLock] = [:]
    /// Nil until `setquestionnaire`.
    public var questionnaire: Questionnaire?
    public var clock: TerminalClock
    /// How often each door was opened by `opendoor`, by door number.
    public var doorsOpened: [Int: Int] = [:]
    public var reboots = 0
    public var enrolment: Enrolment?
    /// Enrolments that completed (the person presented the credential).
    public var enrolmentsCompleted = 0
    /// The last `receivedCommandLimit` commands, oldest first.
    public private(set) var receivedCommands: [ReceivedCommand] = []
    public static let receivedCommandLimit = 50

    public init(clock: TerminalClock = TerminalClock()) {
        self.clock = clock
    }

    /// Users in `enrollid` order.
    public var sortedUsers: [EmulatedUser] {
        users.values.sorted { $0.enrollid < $1.enrollid }
    }

    public var newLogCount: Int {
        logs.reduce(0) { $0 + ($1.isNew ? 1 : 0) }
    }

    /// Keeps `command` among the last commands received.
    public mutating func remember(_ command: ReceivedCommand) {
        receivedCommands.append(command)
        if receivedCommands.count > TerminalState.receivedCommandLimit {
            receivedCommands.removeFirst(receivedCommands.count - TerminalState.receivedCommandLimit)
        }
    }

    /// Ends the enrolment in progress when its time has come: the user gets the credential it was
    /// waiting for (a generated one). Returns whether it completed.
    @discardableResult
    public mutating func completeEnrolment(ifDueAt now: Date) -> Bool {
        guard let enrolment, now >= enrolment.completesAt else { return false }
        var user = users[enrolment.enrollid] ?? EmulatedUser(enrollid: enrolment.enrollid)
        if !enrolment.name.isEmpty { user.name = enrolment.name }
        user.admin = enrolment.admin
        user.setCredential(enrolment.backupnum, to: TerminalState.enrolledCredential(enrolment))
        users[user.enrollid] = user
        self.enrolment = nil
        enrolmentsCompleted += 1
        return true
    }

    /// What the terminal captured: a small JPEG-looking face, a card number, or a template.
    private static func enrolledCredential(_ enrolment: Enrolment) -> String {
        switch enrolment.backupnum {
        case 50:
            let jpegStart: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
            return Data(jpegStart + Array("enrolled \(enrolment.enrollid)".utf8)).base64EncodedString()
        case 11: return String(9_000_000 + enrolment.enrollid)
        default: return Data(Array("template \(enrolment.enrollid)/\(enrolment.backupnum)".utf8)).base64EncodedString()
        }
    }

    /// Factory clean (`initsys`): users, logs, locks, questionnaire and settings back to their defaults.
    /// The clock, the counters (doors opened, reboots) and the received commands stay.
    public mutating func resetToFactory() {
        users = [:]
        logs = []
        device = DeviceSettings()
        doorLock = DoorLockSettings()
        userLocks = [:]
        questionnaire = nil
        enrolment = nil
    }
}
