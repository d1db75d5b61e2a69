import CatracaCore

/// What the status page keeps between requests: logged-in sessions, login failures per client, the event
/// bus its streams subscribe to, and how many streams are open. Lives on the event loop.
final class StatusPage {
    let sessions: OperatorSessions
    var loginLimiter: LoginRateLimiter
    let events: OperatorEvents
    let siteTime: SiteTime
    let logger: Logger
    /// Event streams open now.
    var openStreams = 0

    /// The most event streams at once; each holds one of the API's connections (64 by default).
    static let maxStreams = 16
    /// How often a quiet stream gets a comment line, so that proxies and browsers keep it open.
    static let heartbeatInterval = TimeSpan.seconds(15)
    /// How far a stream's client may fall behind before it is dropped (it reconnects by itself).
    static let streamBufferBytes = 64 * 1024

    init(sessions: OperatorSessions, events: OperatorEvents, siteTime: SiteTime, logger: Logger,
         loginLimiter: LoginRateLimiter = LoginRateLimiter()) {
        self.logger = logger
        self.sessions = sessions
        self.events = events
        self.siteTime = siteTime
        self.loginLimiter = loginLimiter
    }
}
