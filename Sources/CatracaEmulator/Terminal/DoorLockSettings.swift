/// The door, alarm and time-zone settings `setdevlock` sets and `getdevlock` reads.
public struct DoorLockSettings: Equatable, Sendable {
    /// Door open time in seconds.
    public var opendelay = 5
    /// 0 off, 1 normally closed, 2 normally open.
    public var doorsensor = 0
    public var alarmdelay = 0
    public var threat = 0
    public var inputalarm = 0
    public var antpass = 0
    public var interlock = 0
    /// People needed together (sent as `mutiopen`, read back as `multiopen`).
    public var multiopen = 0
    public var tryalarm = 0
    public var tamper = 0
    /// Wiegand bits, 26 or 34 (set as 0 or 1).
    public var wiegandBits = 26
    public var wgoutput = 0
    public var cardoutput = 0
    public var accessTimes = 0
    /// Day profiles 1..8 in order, each up to 5 `HH:MM~HH:MM` sections.
    public var dayzones: [[String]] = [["00:01~23:59"]]
    /// Week profiles 1..8 in order, each the day profile for Sunday..Saturday.
    public var weekzones: [[Int]] = [[1, 1, 1, 1, 1, 1, 1]]

    public init() {}
}
