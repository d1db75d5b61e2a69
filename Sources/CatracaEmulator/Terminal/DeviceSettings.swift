/// The parameters `setdevinfo` sets and `getdevinfo` reads.
///
/// `setdevinfo` spells the fingerprint limit `usefpnum`; `getdevinfo` replies `userfpnum`. Both mean
/// `fingerprintsPerUser`.
public struct DeviceSettings: Equatable, Sendable {
    public var deviceid = 1
    public var language = 0
    public var volume = 5
    /// Screen saver delay in seconds, 0 off.
    public var screensaver = 0
    public var verifymode = 0
    /// 1: screen off, sensor on.
    public var sleep = 0
    public var fingerprintsPerUser = 3
    /// Warn when fewer than this many log slots remain; 0 off.
    public var loghint = 1000
    public var reverifytime = 0
    /// "Server ratify": 1 lets the server decide each passage through the `sendlog` reply.
    public var serverVerify = 0

    public init() {}
}
