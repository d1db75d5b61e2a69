import CatracaCore
import CatracaJSON
import CatracaStore
import Foundation
import Testing
@testable import CatracaUpstream

@Suite struct HTTPUpstreamPieceTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func statusesMapToDeliveredRetryOrPark() {
        #expect(HTTPDeliveryPolicy.result(status: 204, retryAfter: nil, body: [], now: now) == .delivered)
        #expect(HTTPDeliveryPolicy.result(status: 503, retryAfter: nil, body: [], now: now)
                == .retry(after: nil, reason: "HTTP 503"))
        #expect(HTTPDeliveryPolicy.result(status: 429, retryAfter: "2", body: [], now: now)
                == .retry(after: .seconds(2), reason: "HTTP 429"))
        #expect(HTTPDeliveryPolicy.result(status: 408, retryAfter: nil, body: [], now: now)
                == .retry(after: nil, reason: "HTTP 408"))
        #expect(HTTPDeliveryPolicy.result(status: 400, retryAfter: nil, body: Array("bad\nsite".utf8), now: now)
                == .park(reason: "HTTP 400: bad site"))
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 2_000)
        guard case .park(let reason) = HTTPDeliveryPolicy.result(status: 403, retryAfter: nil, body: long, now: now)
        else {
            Issue.record("a 403 must park")
            return
        }
        #expect(reason.count < 600)
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        #expect(RetryAfter.parse("120", now: now) == .seconds(120))
        #expect(RetryAfter.parse("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == .seconds(10))
        #expect(RetryAfter.parse("Tuesday, 14-Nov-23 22:13:30 GMT", now: now) == .seconds(10))
        #expect(RetryAfter.parse("Mon, 13 Nov 2023 00:00:00 GMT", now: now) == .zero)
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse("-5", now: now) == nil)
    }

    @Test func urlsAreHTTPOnlyWithAHostAndDefaults() throws {
        let plain = try HTTPUpstreamURL(parsing: "http://127.0.0.1:8080/ingest?site=a")
        #expect(plain.host == "127.0.0.1")
        #expect(plain.port == 8080)
        #expect(plain.path == "/ingest?site=a")
        #expect(try HTTPUpstreamURL(parsing: "http://central.example").authority == "central.example")
        #expect(try HTTPUpstreamURL(parsing: "http://[::1]:81").host == "::1")
        #expect(throws: HTTPUpstreamURLError.self) { try HTTPUpstreamURL(parsing: "https://central.example/") }
        #expect(throws: HTTPUpstreamURLError.self) { try HTTPUpstreamURL(parsing: "ftp://x/") }
        #expect(throws: HTTPUpstreamURLError.self) { try HTTPUpstreamURL(parsing: "http://user:pw@x/") }
        #expect(throws: HTTPUpstreamURLError.self) { try HTTPUpstreamURL(parsing: "http://x:99999/") }
    }

    @Test func theBodyCarriesSiteKeyAndEachEntryWithItsPayloadAsJSON() throws {
        let entries = [
            OutboxEntry(outboxID: 7, kind: "record", sn: "AB\"1", payload: "{\"version\":1,\"id\":3}",
                        createdAt: "2024-01-01T00:00:00.000Z"),
            OutboxEntry(outboxID: 8, kind: "alarm", sn: nil, payload: "{\"version\":1}", createdAt: "x"),
        ]
        let batch = OutboxBatch(transport: "http", entries: entries)
        let body = try JSONReader().parse(HTTPUpstreamRequest.body(site: "north", batch: batch))

        #expect(body["site"]?.string == "north")
        #expect(body["key"]?.string == "http-7-8")
        #expect(body["entries"]?.array?.count == 2)
        #expect(body["entries"]?.array?[0]["sn"]?.string == "AB\"1")
        #expect(body["entries"]?.array?[0]["payload"]?["id"]?.int == 3)
        #expect(body["entries"]?.array?[1]["sn"] == .null)

        let url = try HTTPUpstreamURL(parsing: "http://127.0.0.1:9/in")
        let head = String(decoding: HTTPUpstreamRequest.bytes(url: url, token: "t0k", key: batch.key, body: []),
                          as: UTF8.self)
        #expect(head.hasPrefix("POST /in HTTP/1.1\r\nHost: 127.0.0.1:9\r\n"))
        #expect(head.contains("Idempotency-Key: http-7-8\r\n"))
        #expect(head.contains("Authorization: Bearer t0k\r\n"))
    }

    @Test func theBacklogAlarmChangesOnlyWhenTheLimitIsCrossed() {
        var alarm = OutboxBacklogAlarm(limit: 10)
        #expect(alarm.update(backlog: 5) == nil)
        #expect(alarm.update(backlog: 11) == .raised)
        #expect(alarm.update(backlog: 50) == nil)
        #expect(alarm.update(backlog: 10) == .cleared)
        var never = OutboxBacklogAlarm(limit: 0)
        #expect(never.update(backlog: 1_000_000) == nil)
    }

    @Test func anUnreachableSinkIsARetryNamingTheAddress() {
        let url = try? HTTPUpstreamURL(parsing: "http://127.0.0.1:1/")
        let exchange = BlockingHTTPExchange(host: "127.0.0.1", port: url?.port ?? 1, timeout: 2)
        #expect(throws: BlockingHTTPExchange.Failure.self) { try exchange.run(Array("GET / HTTP/1.1\r\n\r\n".utf8)) }
    }
}
