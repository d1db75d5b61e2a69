import CatracaCore
import CatracaHTTP
import Foundation
import Testing
@testable import CatracaServer

/// The head check, the head and body deadlines, the strangers' idle timeout and the client-gone hook, on a
/// real loopback socket.
@Suite struct HTTPServerAdmissionTests {
    typealias Harness = HTTPServerTests.Harness

    /// Lets through requests that carry `Authorization: yes`, with the server's body limit.
    static let tokenCheck: HTTPServer.HeadCheck = { head, _ in
        head.headers["Authorization"] == "yes" ? .read(maxBodyBytes: nil, authorized: true)
            : .refuse(HTTPResponse(status: 401, body: Array("who are you".utf8)))
    }

    @Test func aRefusedHeadIsAnsweredBeforeAnyContinueAndItsBodyNeverReachesTheHandler() throws {
        nonisolated(unsafe) var handled = 0
        let harness = try Harness(headCheck: HTTPServerAdmissionTests.tokenCheck) { request, responder, loop in
            handled += 1
            HTTPServerTests.echo(request, responder, loop)
        }
        let client = try harness.client()

        client.send("PUT /photo HTTP/1.1\r\nContent-Length: 31457280\r\nExpect: 100-continue\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.head.status == 401)
        #expect(response.head.headers["Connection"] == "close")
        #expect(client.isClosedByServer())
        #expect(handled == 0)
    }

    @Test func anAdmittedHeadGetsItsContinueAndItsOwnBodyLimit() throws {
        let harness = try Harness(headCheck: { head, _ in
            .read(maxBodyBytes: head.path == "/login" ? 8 : nil, authorized: false)
        }, handler: HTTPServerTests.echo)
        let client = try harness.client()
        client.send("PUT /photo HTTP/1.1\r\nContent-Length: 20\r\nExpect: 100-continue\r\n\r\n")
        #expect(try client.readResponse().head.status == 100)
        client.send("01234567890123456789")
        #expect(try client.readResponse().text == "PUT /photo 20")

        let login = try harness.client()
        login.send("POST /login HTTP/1.1\r\nContent-Length: 20\r\n\r\n")
        #expect(try login.readResponse().head.status == 413)
    }

    @Test func aHeadTricklingInPastItsDeadlineGets408ThoughBytesKeepComing() throws {
        var configuration = HTTPServerConfiguration()
        configuration.headTimeout = .milliseconds(300)
        configuration.strangerIdleTimeout = .seconds(5)
        let harness = try Harness(configuration: configuration, handler: HTTPServerTests.echo)
        let client = try harness.client()

        let started = Date()
        client.send("GET /drip HTTP/1.1\r\n")
        for _ in 0..<6 {
            Thread.sleep(forTimeInterval: 0.1)
            client.send("X: y\r\n")
        }
        let response = try client.readResponse()

        #expect(response.head.status == 408)
        #expect(Date().timeIntervalSince(started) < 2)
    }

    @Test func aBodyTricklingInPastItsDeadlineGets408() throws {
        var configuration = HTTPServerConfiguration()
        configuration.bodyTimeout = .milliseconds(300)
        let harness = try Harness(configuration: configuration, headCheck: HTTPServerAdmissionTests.tokenCheck,
                                  handler: HTTPServerTests.echo)
        let client = try harness.client()

        client.send("POST /slow HTTP/1.1\r\nAuthorization: yes\r\nContent-Length: 100\r\n\r\n")
        for _ in 0..<6 {
            Thread.sleep(forTimeInterval: 0.1)
            client.send("x")
        }

        #expect(try client.readResponse().head.status == 408)
    }

    @Test func aStrangerIsClosedSoonAndAClientWithAnAuthorisedRequestKeepsTheLongIdleTimeout() throws {
        var configuration = HTTPServerConfiguration()
        configuration.strangerIdleTimeout = .milliseconds(200)
        configuration.idleTimeout = .seconds(30)
        let harness = try Harness(configuration: configuration, headCheck: HTTPServerAdmissionTests.tokenCheck,
                                  handler: HTTPServerTests.echo)
        let stranger = try harness.client()
        let known = try harness.client()
        known.send("GET /1 HTTP/1.1\r\nAuthorization: yes\r\n\r\n")
        #expect(try known.readResponse().text == "GET /1 0")

        #expect(stranger.isClosedByServer())
        Thread.sleep(forTimeInterval: 0.3)
        known.send("GET /2 HTTP/1.1\r\nAuthorization: yes\r\n\r\n")
        #expect(try known.readResponse().text == "GET /2 0")
    }

    @Test func theResponderSaysWhenTheClientGoesAwayUnanswered() throws {
        let gone = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var kept: [HTTPResponder] = []
        let harness = try Harness { request, responder, _ in
            kept.append(responder)
            if request.head.path == "/answered" { responder.respond(HTTPResponse(status: 200)) }
            responder.onClientGone = { gone.signal() }
        }
        do {
            let answered = try harness.client()
            answered.send("GET /answered HTTP/1.1\r\n\r\n")
            _ = try answered.readResponse()
        }
        #expect(gone.wait(timeout: .now() + 0.5) == .timedOut)

        do {
            let waiting = try harness.client()
            waiting.send("GET /waiting HTTP/1.1\r\n\r\n")
            Thread.sleep(forTimeInterval: 0.1)
        }

        #expect(gone.wait(timeout: .now() + 5) == .success)
        #expect(kept.count == 2)
    }
}
