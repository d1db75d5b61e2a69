import CatracaCore
import CatracaHTTP
import CatracaStore
import Foundation
import Testing
@testable import CatracaDaemon

@Suite struct OperatorSessionsTests {
    private func sessions(_ clock: ManualTimeSource, capacity: Int = 8) -> OperatorSessions {
        var counter: UInt8 = 0
        return OperatorSessions(timeSource: clock, idleTimeout: .seconds(60), lifetime: .seconds(300),
                                capacity: capacity, randomBytes: { count in
                                    counter &+= 1
                                    return [UInt8](repeating: counter, count: count)
                                })
    }

    @Test func aSessionHasA256BitIdAndItsOwnCSRFToken() {
        let store = sessions(ManualTimeSource())
        let session = store.open()
        #expect(session.id.count == 64)
        #expect(session.csrfToken.count == 64)
        #expect(session.id != session.csrfToken)
        #expect(store.use(id: session.id) == session)
        #expect(store.use(id: "f" + session.id.dropFirst()) == nil)
    }

    @Test func anIdleSessionExpiresAndUseKeepsItAlive() {
        let clock = ManualTimeSource()
        let store = sessions(clock)
        let kept = store.open()
        let idle = store.open()
        clock.advance(by: .seconds(50))
        #expect(store.use(id: kept.id) != nil)
        clock.advance(by: .seconds(20))
        #expect(store.use(id: kept.id) != nil, "used 20 s ago")
        #expect(store.use(id: idle.id) == nil, "idle for 70 s")
        #expect(store.count == 1)
    }

    @Test func aSessionEndsAtItsLifetimeHoweverMuchItIsUsed() {
        let clock = ManualTimeSource()
        let store = sessions(clock)
        let session = store.open()
        for _ in 0..<5 {
            clock.advance(by: .seconds(59))
            #expect(store.use(id: session.id) != nil)
        }
        clock.advance(by: .seconds(10))
        #expect(store.use(id: session.id) == nil)
    }

    @Test func logoutEndsTheSessionAndCapacityEndsTheLeastRecentlyUsed() {
        let clock = ManualTimeSource()
        let store = sessions(clock, capacity: 2)
        let first = store.open()
        clock.advance(by: .seconds(1))
        let second = store.open()
        clock.advance(by: .seconds(1))
        _ = store.use(id: first.id)
        let third = store.open()
        #expect(store.use(id: second.id) == nil)
        #expect(store.use(id: first.id) != nil)
        store.close(id: third.id)
        #expect(store.use(id: third.id) == nil)
    }
}

@Suite struct LoginRateLimiterTests {
    @Test func fiveFailuresInAMinuteRefuseTheAddressUntilTheOldestIsAMinuteOld() {
        var limiter = LoginRateLimiter(maxFailures: 5, window: .seconds(60))
        var now = Instant(nanoseconds: 1_000_000_000)
        for _ in 0..<5 {
            #expect(limiter.retryAfter(client: "10.0.0.9", now: now) == nil)
            limiter.recordFailure(client: "10.0.0.9", now: now)
            now = now + .seconds(2)
        }
        #expect(limiter.retryAfter(client: "10.0.0.9", now: now) == .seconds(50))
        #expect(limiter.retryAfter(client: "10.0.0.10", now: now) == nil, "another address is not slowed")
        now = now + .seconds(50)
        #expect(limiter.retryAfter(client: "10.0.0.9", now: now) == nil)
    }

    @Test func aSuccessClearsTheFailures() {
        var limiter = LoginRateLimiter(maxFailures: 2, window: .seconds(60))
        limiter.recordFailure(client: "a", now: .zero)
        limiter.recordSuccess(client: "a")
        limiter.recordFailure(client: "a", now: .zero)
        #expect(limiter.retryAfter(client: "a", now: .zero) == nil)
    }

    @Test func theTableOfAddressesIsBounded() {
        var limiter = LoginRateLimiter(maxFailures: 1, window: .seconds(60), capacity: 3)
        for index in 0..<10 { limiter.recordFailure(client: "c\(index)", now: Instant(nanoseconds: UInt64(index))) }
        #expect(limiter.retryAfter(client: "c9", now: Instant(nanoseconds: 10)) != nil)
        #expect(limiter.retryAfter(client: "c0", now: Instant(nanoseconds: 10)) == nil, "forgotten")
    }
}

@Suite struct BrowserRequestTests {
    private func request(method: String = "POST", peer: String? = "192.168.1.20",
                         _ headers: [(String, String)]) -> BrowserRequest {
        BrowserRequest(head: HTTPRequestHead(method: method, target: "/v1/terminals/A/commands/opendoor",
                                             headers: HTTPHeaders(headers)), peerHost: peer)
    }

    @Test func theCSRFTokenMustMatchExactly() {
        let token = String(repeating: "ab", count: 32)
        #expect(request([("X-CSRF-Token", token)]).carriesCSRFToken(token))
        #expect(!request([("X-CSRF-Token", String(token.dropLast()))]).carriesCSRFToken(token))
        #expect(!request([("X-CSRF-Token", token + "0")]).carriesCSRFToken(token))
        #expect(!request([]).carriesCSRFToken(token))
    }

    @Test func originOrRefererMustNameThisHost() {
        #expect(request([("Host", "box:7793"), ("Origin", "http://box:7793")]).comesFromThisSite)
        #expect(!request([("Host", "box:7793"), ("Origin", "http://evil.example")]).comesFromThisSite)
        #expect(!request([("Host", "box:7793"), ("Origin", "null")]).comesFromThisSite)
        #expect(!request([("Host", "box:7793"), ("Origin", "https://box:7793")]).comesFromThisSite, "scheme too")
        #expect(request([("Host", "box:7793"), ("Referer", "http://box:7793/#terminal/A")]).comesFromThisSite)
        #expect(!request([("Host", "box:7793"), ("Referer", "http://box:7793.evil.example/")]).comesFromThisSite)
        #expect(request([("Host", "box:7793")]).comesFromThisSite, "scripts send neither")
    }

    @Test func forwardedHeadersAreBelievedOnlyFromThisBox() {
        let proxied = request(peer: "127.0.0.1", [("Host", "cabinet.lan"), ("Origin", "https://cabinet.lan"),
                                                  ("X-Forwarded-Proto", "https"),
                                                  ("X-Forwarded-For", "6.6.6.6, 192.168.1.20")])
        #expect(proxied.scheme == "https")
        #expect(proxied.comesFromThisSite)
        #expect(proxied.clientAddress == "192.168.1.20")
        #expect(proxied.sessionCookie("id", maxAgeSeconds: 10).hasSuffix("; Secure"))

        let spoofed = request(peer: "192.168.1.66", [("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "1.2.3.4")])
        #expect(spoofed.scheme == "http")
        #expect(spoofed.clientAddress == "192.168.1.66")
        #expect(!spoofed.sessionCookie("id", maxAgeSeconds: 10).contains("Secure"))
    }

    @Test func theCookieIsHttpOnlyStrictAndFoundAmongOthers() {
        let cookie = request([]).sessionCookie("abc", maxAgeSeconds: 60)
        #expect(cookie == "catraca_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict")
        #expect(request([("Cookie", "theme=dark; catraca_session=abc ; x=1")]).sessionID == "abc")
        #expect(request([("Cookie", "xcatraca_session=abc")]).sessionID == nil)
        #expect(request(method: "GET", []).isStateChanging == false)
        #expect(request(method: "DELETE", []).isStateChanging)
    }
}

@Suite struct OperatorEventsTests {
    @Test func subscribersGetEventsUntilTheyUnsubscribeEvenFromInsideACall() {
        let bus = OperatorEvents()
        var first: [String] = []
        var second: [String] = []
        var subscription: OperatorEvents.Subscription?
        subscription = bus.subscribe { event in
            first.append(event.name)
            if case .terminalOffline = event { bus.unsubscribe(subscription!) }
        }
        _ = bus.subscribe { second.append($0.name) }
        bus.publish(.terminalOnline(sn: "A", address: "10.0.0.2", firmware: "1.2", clockDriftSeconds: -3))
        bus.publish(.terminalOffline(sn: "A"))
        bus.publish(.recordsStored(sn: "A", inserted: 2, duplicates: 0, quarantined: 0))
        #expect(first == ["terminal_online", "terminal_offline"])
        #expect(second == ["terminal_online", "terminal_offline", "records_stored"])
        #expect(bus.subscriberCount == 1)
        #expect(bus.clockDrifts["A"] == -3)
    }

    @Test func theLastPassagesAreKeptForPagesOpenedLater() {
        let bus = OperatorEvents()
        for index in 0..<(OperatorEvents.recentPassageLimit + 5) {
            bus.publish(.passageClosed(.init(turnstile: "gate\(index)", outcome: "not_turned", closedAt: .init())))
        }
        #expect(bus.recentPassages.count == OperatorEvents.recentPassageLimit)
        #expect(bus.recentPassages.first?.data["turnstile"]?.string == "gate5")
    }
}

@Suite struct TerminalClockDriftTests {
    @Test func driftIsTheTerminalsTimeMinusTheBoxsInTheSiteZone() throws {
        let site = try #require(SiteTime(identifier: "America/Sao_Paulo"))
        let box = Date(timeIntervalSince1970: 1_703_339_370)  // 2023-12-23 13:49:30 UTC, 10:49:30 in São Paulo
        #expect(TerminalClockDrift.seconds(devinfoJSON: #"{"time":"2023-12-23 10:50:00"}"#, siteTime: site,
                                           boxTime: box) == 30)
        #expect(TerminalClockDrift.seconds(devinfoJSON: #"{"time":"yesterday"}"#, siteTime: site, boxTime: box) == nil)
        #expect(TerminalClockDrift.seconds(devinfoJSON: nil, siteTime: site, boxTime: box) == nil)
        #expect(TerminalClockDrift.firmware(devinfoJSON: #"{"firmware":"ai20 v1.3"}"#) == "ai20 v1.3")
    }
}
