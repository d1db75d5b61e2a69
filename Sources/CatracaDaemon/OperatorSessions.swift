import CatracaCore

/// One logged-in page: the id its cookie carries, the token its state-changing requests must send back
/// (`X-CSRF-Token`), and when it ends.
struct OperatorSession: Equatable {
    let id: String
    let csrfToken: String
    let startedAt: Instant
    var lastUsed: Instant
}

/// The status page's sessions, kept in memory only: a restart logs everyone out, and nothing secret is on
/// disk. The cookie holds a random id that means something only here.
///
/// A session ends after `idleTimeout` without use or `lifetime` after login, whichever comes first; past
/// `capacity` sessions the least recently used one is ended. Lives on the event loop.
final class OperatorSessions {
    private let timeSource: TimeSource
    private let randomBytes: (Int) -> [UInt8]
    private var sessions: [String: OperatorSession] = [:]

    let idleTimeout: TimeSpan
    let lifetime: TimeSpan
    let capacity: Int

    /// - Parameter randomBytes: where ids and CSRF tokens come from; the kernel's CSPRNG unless a test
    ///   needs to know them.
    init(timeSource: TimeSource, idleTimeout: TimeSpan = .seconds(3_600), lifetime: TimeSpan = .seconds(12 * 3_600),
         capacity: Int = 256, randomBytes: @escaping (Int) -> [UInt8] = OperatorSessions.systemRandomBytes) {
        self.timeSource = timeSource
        self.idleTimeout = idleTimeout
        self.lifetime = lifetime
        self.capacity = capacity
        self.randomBytes = randomBytes
    }

    var count: Int { sessions.count }

    /// Starts a session after a successful login.
    func open() -> OperatorSession {
        let now = timeSource.now
        removeExpired(now: now)
        if sessions.count >= capacity, let oldest = sessions.values.min(by: { $0.lastUsed < $1.lastUsed }) {
            sessions[oldest.id] = nil
        }
        let session = OperatorSession(id: hex(randomBytes(32)), csrfToken: hex(randomBytes(32)), startedAt: now,
                                      lastUsed: now)
        sessions[session.id] = session
        return session
    }

    /// The live session with `id`, its idle time restarted; nil (and forgotten) when it has expired.
    func use(id: String) -> OperatorSession? {
        let now = timeSource.now
        guard var session = sessions[id] else { return nil }
        guard !isExpired(session, now: now) else {
            sessions[id] = nil
            return nil
        }
        session.lastUsed = now
        sessions[id] = session
        return session
    }

    /// Ends a session (logout).
    func close(id: String) {
        sessions[id] = nil
    }

    /// Seconds the browser keeps the cookie: the session's whole lifetime (the server ends it sooner when idle).
    var cookieMaxAgeSeconds: Int { Int(lifetime.seconds) }

    private func isExpired(_ session: OperatorSession, now: Instant) -> Bool {
        now.since(session.lastUsed) >= idleTimeout || now.since(session.startedAt) >= lifetime
    }

    private func removeExpired(now: Instant) {
        sessions = sessions.filter { !isExpired($0.value, now: now) }
    }

    private func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `count` bytes from the kernel's CSPRNG (SystemRandomNumberGenerator is getrandom on Linux).
    static func systemRandomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
