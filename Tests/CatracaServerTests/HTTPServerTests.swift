import CatracaCore
import CatracaHTTP
import Foundation
import Testing
@testable import CatracaServer

/// `HTTPServer` on a real loopback socket, its loop on its own thread, driven by blocking clients.
@Suite struct HTTPServerTests {
    final class Harness {
        let loop: EventLoop
        var server: HTTPServer!
        let thread: Thread

        init(configuration: HTTPServerConfiguration = .init(), headCheck: HTTPServer.HeadCheck? = nil,
             handler: @escaping (HTTPRequest, HTTPResponder, EventLoop) -> Void) throws {
            let loop = try EventLoop()
            self.loop = loop
            let logger = Logger(label: "test", sink: MemoryLogSink())
            server = try HTTPServer(loop: loop, address: SocketAddress(host: "127.0.0.1", port: 0),
                                    configuration: configuration, logger: logger, headCheck: headCheck) {
                handler($0, $1, loop)
            }
            thread = Thread { loop.run() }
            thread.start()
        }

        var port: UInt16 { server.localAddress.port }

        func client() throws -> LoopbackHTTPClient { try LoopbackHTTPClient(port: port) }

        deinit { loop.stop() }
    }

    static func echo(_ request: HTTPRequest, _ responder: HTTPResponder, _ loop: EventLoop) {
        let text = "\(request.head.method) \(request.head.target) \(request.body.count)"
        responder.respond(HTTPResponse(status: 200, body: Array(text.utf8)))
    }

    @Test func requestsOnOneKeptAliveConnectionAreAnsweredInOrder() throws {
        let harness = try Harness(handler: HTTPServerTests.echo)
        let client = try harness.client()

        client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello")
        let first = try client.readResponse()
        let second = try client.readResponse()
        client.send("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
        let third = try client.readResponse()

        #expect(first.text == "GET /a 0")
        #expect(second.text == "POST /b 5")
        #expect(third.text == "POST /c 3")
    }

    @Test func aLateResponseArrivesAndDoesNotHoldUpOtherClients() throws {
        let harness = try Harness { request, responder, loop in
            guard request.head.path == "/slow" else { return HTTPServerTests.echo(request, responder, loop) }
            loop.scheduleTimer(at: loop.timeSource.now + .milliseconds(300)) {
                responder.respond(HTTPResponse(status: 200, body: Array("late".utf8)))
            }
        }
        let slow = try harness.client()
        let quick = try harness.client()

        slow.send("GET /slow HTTP/1.1\r\n\r\n")
        quick.send("GET /quick HTTP/1.1\r\n\r\n")
        let quickStarted = Date()
        let quickResponse = try quick.readResponse()
        let quickSeconds = Date().timeIntervalSince(quickStarted)
        let slowResponse = try slow.readResponse()

        #expect(quickResponse.text == "GET /quick 0")
        #expect(quickSeconds < 0.25)
        #expect(slowResponse.text == "late")
    }

    @Test func aResponderIsANoOpOnceTheClientHasGone() throws {
        nonisolated(unsafe) var kept: HTTPResponder?
        let answered = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var wasConnected = true
        let harness = try Harness { _, responder, loop in
            kept = responder
            loop.scheduleTimer(at: loop.timeSource.now + .milliseconds(200)) {
                wasConnected = responder.isClientConnected
                responder.respond(HTTPResponse(status: 200))
                answered.signal()
            }
        }
        do {
            let client = try harness.client()
            client.send("GET /gone HTTP/1.1\r\n\r\n")
            Thread.sleep(forTimeInterval: 0.05)
        }

        #expect(answered.wait(timeout: .now() + 5) == .success)
        #expect(!wasConnected)
        #expect(kept != nil)
        let next = try harness.client()
        next.send("GET /after HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(try next.readResponse().head.status == 200)
    }

    @Test(arguments: [
        ("GARBAGE\r\n\r\n", 400),
        ("\u{16}\u{03}\u{01}", 400),
        ("GET / HTTP/2.0\r\n\r\n", 505),
        ("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 2048\r\n\r\n", 413),
    ])
    func aMalformedRequestIsAnsweredWithItsStatusAndTheConnectionCloses(request: String, status: Int) throws {
        var configuration = HTTPServerConfiguration()
        configuration.maxBodyBytes = 1024
        let harness = try Harness(configuration: configuration, handler: HTTPServerTests.echo)
        let client = try harness.client()

        client.send(request)
        let response = try client.readResponse()

        #expect(response.head.status == status)
        #expect(response.head.headers["Connection"] == "close")
        #expect(client.isClosedByServer())
    }

    @Test func aClientExpectingContinueGetsItBeforeSendingTheBody() throws {
        let harness = try Harness(handler: HTTPServerTests.echo)
        let client = try harness.client()

        client.send("PUT /photo HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        let interim = try client.readResponse()
        client.send("abcd")
        let final = try client.readResponse()

        #expect(interim.head.status == 100)
        #expect(final.text == "PUT /photo 4")
    }

    @Test func aClientSilentPastTheIdleTimeoutIsClosedWith408MidRequest() throws {
        var configuration = HTTPServerConfiguration()
        configuration.idleTimeout = .milliseconds(200)
        configuration.strangerIdleTimeout = .milliseconds(200)
        let harness = try Harness(configuration: configuration, handler: HTTPServerTests.echo)
        let idle = try harness.client()
        let halfway = try harness.client()

        halfway.send("GET /half HTTP/1.1\r\nHost:")
        let response = try halfway.readResponse()

        #expect(response.head.status == 408)
        #expect(idle.isClosedByServer())
    }

    @Test func oneConnectionPastTheLimitIsRefusedWith503() throws {
        var configuration = HTTPServerConfiguration()
        configuration.maxConnections = 2
        let harness = try Harness(configuration: configuration, handler: HTTPServerTests.echo)
        let first = try harness.client()
        let second = try harness.client()
        first.send("GET /1 HTTP/1.1\r\n\r\n")
        second.send("GET /2 HTTP/1.1\r\n\r\n")
        _ = try first.readResponse()
        _ = try second.readResponse()

        let third = try harness.client()
        let refused = try third.readResponse()

        #expect(refused.head.status == 503)
        first.send("GET /again HTTP/1.1\r\n\r\n")
        #expect(try first.readResponse().text == "GET /again 0")
    }

    @Test func http10ClosesAfterTheResponseUnlessAskedToKeepAlive() throws {
        let harness = try Harness(handler: HTTPServerTests.echo)
        let client = try harness.client()

        client.send("GET /old HTTP/1.0\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.head.headers["Connection"] == "close")
        #expect(client.isClosedByServer())
    }
}
