import CatracaJSON
import Foundation

/// What an emulated terminal holds when it starts, so that listings have something to page through.
public struct TerminalSeed: Sendable {
    /// Users 1...users, each with a name, a department and a card; user 1 is an administrator.
    public var users = 0
    /// Stored records, all new (not yet fetched by `getnewlog`).
    public var logs = 0
    /// Terminal time of the first seeded record; the others follow a second apart, so each is
    /// distinct for the server's deduplication (and none equals a record pushed by `--records`,
    /// which start at `EmulatorSettings.firstRecordTime`).
    public var firstLogTime = "2023-12-01 08:00:00"

    public init(users: Int = 0, logs: Int = 0) {
        self.users = users
        self.logs = logs
    }

    /// The seeded user `enrollid`: name `User 0001`, card `100000 + enrollid`.
    public static func user(_ enrollid: Int) -> EmulatedUser {
        var user = EmulatedUser(enrollid: enrollid)
        user.name = "User " + String(format: "%04d", enrollid)
        user.department = ["Ops", "Sales", "Admin"][enrollid % 3]
        user.card = String(100_000 + enrollid)
        user.admin = enrollid == 1 ? 1 : 0
        return user
    }

    /// Fills `state` with the seeded users and logs.
    public func apply(to state: inout TerminalState) {
        for enrollid in stride(from: 1, through: users, by: 1) {
            state.users[enrollid] = TerminalSeed.user(enrollid)
        }
        let generator = RecordGenerator(firstTime: firstLogTime, photoBytes: 0)
        let people = max(1, users)
        for (index, entry) in generator.records(0..<logs).enumerated() {
            guard var record = entry.object else { continue }
            record["enrollid"] = .integer(index % people + 1)
            state.logs.append(StoredLog(record: record, isNew: true))
        }
    }
}
