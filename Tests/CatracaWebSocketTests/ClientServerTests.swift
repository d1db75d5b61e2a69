import CatracaCore
import CatracaHTTP
import Testing
@testable import CatracaWebSocket

@Suite struct ClientServerTests {
    /// Moves each side's output to the other until neither has anything to say; returns what each reported.
    private func exchange(_ client: inout WebSocketConnection, _ server: inout WebSocketConnection,
                          pieceSize: Int = .max) -> (client: [WebSocketEvent], server: [WebSocketEvent]) {
        var clientEvents: [WebSocketEvent] = []
        var serverEvents: [WebSocketEvent] = []
        while client.hasPendingOutput || server.hasPendingOutput {
            for piece in client.takeOutput().pieces(of: pieceSize) { serverEvents += server.receive(piece, now: .zero) }
            for piece in server.takeOutput().pieces(of: pieceSize) { clientEvents += client.receive(piece, now: .zero) }
        }
        return (clientEvents, serverEvents)
    }

    @Test(arguments: [1, 3, 1000, Int.max])
    func clientAndServerTalkAndCloseInPiecesOfAnySize(pieceSize: Int) {
        var client = WebSocketConnection(role: .client, configuration: WebSocketConfiguration(), now: .zero)
        var server = WebSocketConnection(role: .server, configuration: WebSocketConfiguration(), now: .zero)
        client.startClientHandshake(host: "cabinet.local", path: "/evo?sn=ABC", now: .zero)

        let opening = exchange(&client, &server, pieceSize: pieceSize)
        guard case .opened(let sent) = opening.client.first, case .opened(let received) = opening.server.first else {
            Issue.record("handshake did not complete: \(opening)")
            return
        }
        #expect(sent == received)
        #expect(received.query == "sn=ABC")

        client.sendText(text("{\"cmd\":\"reg\",\"sn\":\"ABC\"}"))
        client.sendBinary(Array(repeating: 0x5A, count: 70_000))
        client.sendPing(text("ping"))
        server.sendText(text("{\"ret\":\"reg\",\"result\":true}"))
        let talk = exchange(&client, &server, pieceSize: pieceSize)
        #expect(talk.server == [.text(text("{\"cmd\":\"reg\",\"sn\":\"ABC\"}")),
                                .binary(Array(repeating: 0x5A, count: 70_000))])
        #expect(talk.client == [.text(text("{\"ret\":\"reg\",\"result\":true}"))])

        client.close(code: 1000, reason: "done", now: .zero)
        let closing = exchange(&client, &server, pieceSize: pieceSize)
        #expect(closing.server == [.closed(code: 1000, reason: "done")])
        #expect(closing.client == [.closed(code: 1000, reason: "")])
        #expect(client.isTerminated && server.isTerminated)
    }

    @Test func clientMasksEveryFrameWithAFreshKey() {
        var client = WebSocketConnection(role: .client, configuration: WebSocketConfiguration(), now: .zero)
        var server = WebSocketConnection(role: .server, configuration: WebSocketConfiguration(), now: .zero)
        client.startClientHandshake(host: "h", path: "/", now: .zero)
        _ = exchange(&client, &server)

        for _ in 0..<8 { client.sendText(text("same")) }
        let output = client.takeOutput()
        let frames = writtenFrames(output)
        #expect(frames.allSatisfy { $0.masked && $0.payload == text("same") })
        let keys = Set(stride(from: 0, to: output.count, by: 10).map { Array(output[$0 + 2..<$0 + 6]) })
        #expect(keys.count > 1)
    }

    @Test func clientRejectsAWrongAcceptKey() {
        var client = WebSocketConnection(role: .client, configuration: WebSocketConfiguration(), now: .zero)
        client.startClientHandshake(host: "h", path: "/", now: .zero)
        let response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
        #expect(client.receive(text(response), now: .zero)
            == [.rejected(status: 101, reason: "server's Sec-WebSocket-Accept does not match our key")])
    }

    @Test func clientReportsARefusedUpgrade() {
        var client = WebSocketConnection(role: .client, configuration: WebSocketConfiguration(), now: .zero)
        client.startClientHandshake(host: "h", path: "/missing", now: .zero)
        var server = WebSocketConnection(role: .server, configuration: WebSocketConfiguration(), now: .zero) {
            .notFound($0.path)
        }
        let events = exchange(&client, &server)
        #expect(events.server == [.rejected(status: 404, reason: "no WebSocket endpoint at /missing")])
        #expect(events.client == [.rejected(status: 404, reason: "server answered the upgrade with 404 Not Found")])
    }
}

extension Array where Element == UInt8 {
    func pieces(of size: Int) -> [[UInt8]] {
        stride(from: 0, to: count, by: Swift.min(size, Swift.max(count, 1))).map {
            Array(self[$0..<Swift.min($0 + size, count)])
        }
    }
}
