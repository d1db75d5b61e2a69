import Foundation

/// An `adduser` in progress: the terminal waits for the person to present the credential.
///
/// It completes on its own `duration` after it started (as if the person came), or ends with
/// `adduser` `cancel`. While it runs a second `adduser` and `setuserinfo` are refused as busy.
public struct Enrolment: Equatable, Sendable {
    public var enrollid: Int
    public var backupnum: Int
    public var admin: Int
    public var name: String
    public var startedAt: Date
    public var completesAt: Date

    public init(enrollid: Int, backupnum: Int, admin: Int, name: String, startedAt: Date, completesAt: Date) {
        self.enrollid = enrollid
        self.backupnum = backupnum
        self.admin = admin
        self.name = name
        self.startedAt = startedAt
        self.completesAt = completesAt
    }
}
