import CatracaJSON
import Foundation

/// The state file's JSON: what a test or an operator checks after driving the terminal.
///
/// Credentials are never written as such: a password or card is `true`/`false`, a photo or template
/// its length, so the file can be shown without leaking personal data.
extension TerminalState {
    /// The whole state as one JSON object (shape documented in `Sources/CatracaEmulator/README.md`).
    public func snapshot(serialNumber: String, quirks: TerminalQuirks, now: Date) -> JSONValue {
        [
            "sn": .string(serialNumber),
            "written_at": .string(clock.siteTime.format(now)),
            "terminal_time": .string(clock.time(at: now)),
            "clock_offset_seconds": .integer(Int(clock.offset)),
            "quirks": .array(quirks.names.map { .string($0) }),
            "users": .array(sortedUsers.map(TerminalState.snapshot(of:))),
            "logs": ["total": .integer(logs.count), "new": .integer(newLogCount)],
            "doors_opened": .object(JSONObject(doorsOpened.keys.sorted().map {
                .init(key: String($0), value: .integer(doorsOpened[$0]!))
            })),
            "reboots": .integer(reboots),
            "enrolment": enrolmentSnapshot,
            "enrolments_completed": .integer(enrolmentsCompleted),
            "devinfo": TerminalState.snapshot(of: device),
            "devlock": TerminalState.snapshot(of: doorLock),
            "userlocks": .array(userLocks.keys.sorted().map { TerminalState.snapshot(of: userLocks[$0]!) }),
            "questionnaire": questionnaire.map(TerminalState.snapshot(of:)) ?? .null,
            "commands": .array(receivedCommands.map {
                ["received_at": .string($0.receivedAt), "outcome": .string($0.outcome), "command": $0.command]
            }),
        ]
    }

    private var enrolmentSnapshot: JSONValue {
        guard let enrolment else { return .null }
        return [
            "enrollid": .integer(enrolment.enrollid), "backupnum": .integer(enrolment.backupnum),
            "admin": .integer(enrolment.admin), "name": .string(enrolment.name),
        ]
    }

    static func snapshot(of user: EmulatedUser) -> JSONValue {
        [
            "enrollid": .integer(user.enrollid), "name": .string(user.name), "department": .string(user.department),
            "admin": .integer(user.admin), "enable": .integer(user.enabled ? 1 : 0), "groupid": .integer(user.groupid),
            "verifymode": .integer(user.verifymode), "zoneid": .integer(user.zoneid), "shiftid": .integer(user.shiftid),
            "access_times": .integer(user.accessTimes), "postid": .integer(user.postid),
            "starttime": user.starttime.map { .string($0) } ?? .null,
            "endtime": user.endtime.map { .string($0) } ?? .null,
            "password": .bool(user.password != nil),
            "card": .bool(user.card != nil),
            "face_chars": .integer(user.face?.utf8.count ?? 0),
            "fingerprints": .array(user.fingerprints.keys.sorted().map { .integer($0) }),
            "palms": .array(user.palms.keys.sorted().map { .integer($0) }),
        ]
    }

    static func snapshot(of device: DeviceSettings) -> JSONValue {
        [
            "deviceid": .integer(device.deviceid), "language": .integer(device.language),
            "volume": .integer(device.volume), "screensaver": .integer(device.screensaver),
            "verifymode": .integer(device.verifymode), "sleep": .integer(device.sleep),
            "userfpnum": .integer(device.fingerprintsPerUser), "loghint": .integer(device.loghint),
            "reverifytime": .integer(device.reverifytime), "server_verify": .integer(device.serverVerify),
        ]
    }

    /// The door lock settings as `getdevlock` spells them (`multiopen`, `wgformat` 26/34).
    static func snapshot(of lock: DoorLockSettings) -> JSONValue {
        [
            "opendelay": .integer(lock.opendelay), "doorsensor": .integer(lock.doorsensor),
            "alarmdelay": .integer(lock.alarmdelay), "threat": .integer(lock.threat),
            "inputalarm": .integer(lock.inputalarm), "antpass": .integer(lock.antpass),
            "interlock": .integer(lock.interlock), "multiopen": .integer(lock.multiopen),
            "tryalarm": .integer(lock.tryalarm), "tamper": .integer(lock.tamper),
            "wgformat": .integer(lock.wiegandBits), "wgoutput": .integer(lock.wgoutput),
            "cardoutput": .integer(lock.cardoutput), "access_times": .integer(lock.accessTimes),
            "dayzone": .array(lock.dayzones.map { sections in
                ["day": .array(sections.map { ["section": .string($0)] })]
            }),
            "weekzone": .array(lock.weekzones.map { days in
                ["week": .array(days.map { ["day": .integer($0)] })]
            }),
        ]
    }

    static func snapshot(of lock: UserLock) -> JSONValue {
        var object: JSONObject = [
            "enrollid": .integer(lock.enrollid), "weekzone": .integer(lock.weekzone), "group": .integer(lock.group),
        ]
        if let starttime = lock.starttime { object["starttime"] = .string(starttime) }
        if let endtime = lock.endtime { object["endtime"] = .string(endtime) }
        return .object(object)
    }

    /// The questionnaire with canonical spellings and every item.
    static func snapshot(of questionnaire: Questionnaire) -> JSONValue {
        [
            "title": .string(questionnaire.title), "errmsg": .string(questionnaire.errmsg),
            "radio": .bool(questionnaire.radio), "optionflag": .integer(questionnaire.optionflag),
            "usequestion": .bool(questionnaire.usequestion), "useschedule": .bool(questionnaire.useschedule),
            "card": .integer(questionnaire.card),
            "items": .array(questionnaire.items.map { .string($0) }),
            "schedules": .array(questionnaire.schedules.map { .string($0) }),
        ]
    }
}
