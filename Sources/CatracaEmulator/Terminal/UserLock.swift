/// A user's binding to a week profile (`setuserlock`, `getuserlock`).
public struct UserLock: Equatable, Sendable {
    public var enrollid: Int
    public var weekzone: Int
    public var group: Int
    public var starttime: String?
    public var endtime: String?

    public init(enrollid: Int, weekzone: Int, group: Int, starttime: String? = nil, endtime: String? = nil) {
        self.enrollid = enrollid
        self.weekzone = weekzone
        self.group = group
        self.starttime = starttime
        self.endtime = endtime
    }
}
