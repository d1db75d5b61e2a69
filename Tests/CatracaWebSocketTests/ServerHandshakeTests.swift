import CatracaCore
import Foundation
import CatracaHTTP
import Testing
@testable import CatracaWebSocket

@Suite struct ServerHandshakeTests {
    private func respond(to request: [UInt8],
                         acceptUpgrade: ((HTTPRequestHead) -> HandshakeRefusal?)? = nil)
        -> (events: [WebSocketEvent], response: String, connection: WebSocketConnection)
    {
        var connection = WebSocketConnection(role: .server, configuration: WebSocketConfiguration(), now: .zero,
                                             acceptUpgrade: acceptUpgrade)
        let events = connection.receive(request, now: .zero)
        return (events, String(decoding: connection.takeOutput(), as: UTF8.self), connection)
    }

    @Test func validUpgradeQueues101WithTheAcceptKey() {
        let (events, response, connection) = respond(to: upgradeRequest())
        guard case .opened(let head) = events.first else {
            Issue.record("expected opened, got \(events)")
            return
        }
        #expect(events.count == 1)
        #expect(head.path == "/evo")
        #expect(response.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"))
        #expect(response.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"))
        #expect(response.contains("Upgrade: websocket\r\n"))
        #expect(response.contains("Connection: Upgrade\r\n"))
        #expect(!response.contains("Content-Length"))
        #expect(!connection.isTerminated)
        #expect(connection.bufferedBytes == 0)
    }

    @Test func permessageDeflateRequestIsIgnored() {
        let request = upgradeRequest(extra: "Sec-WebSocket-Extensions: permessage-deflate\r\n")
        let (events, response, _) = respond(to: request)
        #expect(events.count == 1)
        #expect(response.hasPrefix("HTTP/1.1 101"))
        #expect(!response.contains("Sec-WebSocket-Extensions"))
    }

    @Test func framesInTheSameReadAsTheRequestAreDecoded() {
        let (events, _, _) = respond(to: upgradeRequest() + frame(0x1, text("reg")))
        #expect(events.count == 2)
        #expect(events.last == .text(text("reg")))
    }

    @Test func handshakeAndMessageDeliveredOneByteAtATime() {
        var connection = WebSocketConnection(role: .server, configuration: WebSocketConfiguration(), now: .zero)
        var events: [WebSocketEvent] = []
        let input = upgradeRequest() + frame(0x1, text("he"), fin: false) + frame(0x9, text("p"))
            + frame(0x0, text("llo"))
        for byte in input { events += connection.receive([byte], now: .zero) }
        #expect(events.count == 2)
        #expect(events.last == .text(text("hello")))
        #expect(writtenFrames(connection.takeOutput().split101())
            == [WrittenFrame(fin: true, opcode: 0xA, masked: false, payload: text("p"))])
    }

    static let refusals: [(String, [UInt8], Int, String)] = [
        ("method", Array("POST /evo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n".utf8),
         405, "WebSocket upgrade needs GET, got POST"),
        ("version", Array(String(decoding: upgradeRequest(), as: UTF8.self)
            .replacingOccurrences(of: "HTTP/1.1", with: "HTTP/1.0").utf8),
         400, "WebSocket upgrade needs HTTP/1.1 or later"),
        ("host", upgradeRequest().removingLine("Host"), 400, "missing Host header"),
        ("upgrade", upgradeRequest().removingLine("Upgrade"), 400, "missing Upgrade: websocket header"),
        ("connection", upgradeRequest().replacingLine("Connection", with: "Connection: keep-alive"), 400,
         "Connection header does not list Upgrade"),
        ("websocket version", upgradeRequest().replacingLine("Sec-WebSocket-Version", with: "Sec-WebSocket-Version: 8"),
         426, "unsupported Sec-WebSocket-Version: use 13"),
        ("key missing", upgradeRequest().removingLine("Sec-WebSocket-Key"), 400,
         "Sec-WebSocket-Key must be base64 of 16 bytes"),
        ("key short", upgradeRequest(key: "c2hvcnQga2V5"), 400, "Sec-WebSocket-Key must be base64 of 16 bytes"),
        ("key not base64", upgradeRequest(key: "!!!!!!!!!!!!!!!!!!!!!!=="), 400,
         "Sec-WebSocket-Key must be base64 of 16 bytes"),
        ("body", upgradeRequest(extra: "Content-Length: 2\r\n") + text("hi"), 400,
         "a WebSocket upgrade request carries no body"),
        // Refused as soon as the head is read: the chunks may never come.
        ("chunked body", upgradeRequest(extra: "Transfer-Encoding: chunked\r\n"), 400,
         "a WebSocket upgrade request carries no body"),
        ("malformed", text("GET /evo\r\n\r\n"), 400,
         "bad request line \"GET /evo\": expected METHOD /target HTTP/1.1"),
    ]

    @Test(arguments: refusals)
    func badUpgradeIsRefusedWithItsReason(name: String, request: [UInt8], status: Int, reason: String) {
        let (events, response, connection) = respond(to: request)
        #expect(events == [.rejected(status: status, reason: reason)], "\(name)")
        #expect(response.hasPrefix("HTTP/1.1 \(status) "), "\(name)")
        #expect(response.contains("Connection: close\r\n"), "\(name)")
        #expect(response.hasSuffix("\r\n\r\n\(reason)\n"), "\(name)")
        #expect(connection.isTerminated, "\(name)")
    }

    @Test func versionRefusalNamesTheSupportedVersion() {
        let request = upgradeRequest().replacingLine("Sec-WebSocket-Version", with: "Sec-WebSocket-Version: 8")
        let (_, response, _) = respond(to: request)
        #expect(response.contains("Sec-WebSocket-Version: 13\r\n"))
    }

    @Test func applicationCanRefuseAnUnknownPath() {
        let (events, response, _) = respond(to: upgradeRequest(path: "/other")) { head in
            head.path == "/evo" ? nil : .notFound(head.path)
        }
        #expect(events == [.rejected(status: 404, reason: "no WebSocket endpoint at /other")])
        #expect(response.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
    }

    @Test func bytesAfterTheEndAreIgnored() {
        var (_, _, connection) = respond(to: text("GET /evo\r\n\r\n"))
        #expect(connection.receive(upgradeRequest(), now: .zero).isEmpty)
        #expect(!connection.hasPendingOutput)
    }
}

extension Array where Element == UInt8 {
    /// The request without the header line that starts with `name:`.
    func removingLine(_ name: String) -> [UInt8] {
        let lines = String(decoding: self, as: UTF8.self).components(separatedBy: "\r\n")
        return Array(lines.filter { !$0.hasPrefix(name + ":") }.joined(separator: "\r\n").utf8)
    }

    func replacingLine(_ name: String, with line: String) -> [UInt8] {
        let lines = String(decoding: self, as: UTF8.self).components(separatedBy: "\r\n")
        return Array(lines.map { $0.hasPrefix(name + ":") ? line : $0 }.joined(separator: "\r\n").utf8)
    }

    /// The bytes after a 101 response's head.
    func split101() -> [UInt8] {
        let marker: [UInt8] = [13, 10, 13, 10]
        guard let end = (0...(count - 4)).first(where: { Array(self[$0..<$0 + 4]) == marker }) else { return self }
        return Array(self[(end + 4)...])
    }
}
