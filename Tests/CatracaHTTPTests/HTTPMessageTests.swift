import Testing
@testable import CatracaHTTP

@Suite struct HTTPMessageTests {
    @Test func headersLookUpCaseInsensitivelyAndKeepOrder() {
        var headers = HTTPHeaders([("Via", "a"), ("Content-Type", "text/plain"), ("via", "b")])
        #expect(headers["CONTENT-TYPE"] == "text/plain")
        #expect(headers["VIA"] == "a")
        #expect(headers.values(for: "via") == ["a", "b"])
        #expect(headers["Missing"] == nil)

        headers.replaceOrAdd(name: "VIA", value: "c")
        #expect(headers.values(for: "via") == ["c"])
        #expect(headers.fields.map(\.name) == ["Content-Type", "VIA"])
    }

    @Test func containsTokenSplitsOnCommasAndIgnoresCaseAndSpaces() {
        let headers = HTTPHeaders([("Connection", "keep-alive"), ("Connection", " Upgrade ,x")])
        #expect(headers.containsToken("upgrade", in: "connection"))
        #expect(headers.containsToken("KEEP-ALIVE", in: "Connection"))
        #expect(!headers.containsToken("upgrad", in: "Connection"))
    }

    @Test func responseWithBodyGetsContentLength() {
        let response = HTTPResponse(status: 400, headers: HTTPHeaders([("Connection", "close")]),
                                    body: Array("no\n".utf8))
        let text = String(decoding: response.serialized(), as: UTF8.self)
        #expect(text == "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 3\r\n\r\nno\n")
    }

    @Test func switchingProtocolsAndNoContentCarryNoLengthOrBody() {
        let upgrade = HTTPResponse(status: 101, headers: HTTPHeaders([("Upgrade", "websocket")]))
        #expect(String(decoding: upgrade.serialized(), as: UTF8.self)
            == "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
        let empty = HTTPResponse(status: 204, body: [1, 2])
        #expect(String(decoding: empty.serialized(), as: UTF8.self) == "HTTP/1.1 204 No Content\r\n\r\n")
    }

    @Test func lineBreaksInHeaderValuesCannotAddHeaderLines() {
        let response = HTTPResponse(status: 204, headers: HTTPHeaders([("X-Echo", "a\r\nSet-Cookie: b")]))
        #expect(String(decoding: response.serialized(), as: UTF8.self)
            == "HTTP/1.1 204 No Content\r\nX-Echo: a  Set-Cookie: b\r\n\r\n")
    }

    @Test func malformedStatusLineIsNamed() {
        var parser = HTTPResponseHeadParser()
        #expect(throws: HTTPParseError.badStatusLine("HTTP/1.1 OK")) {
            _ = try parser.parse(Array("HTTP/1.1 OK\r\n\r\n".utf8)[...])
        }
    }

    @Test func responseHeadParsesByteByByteAndLeavesTheRest() throws {
        let text = Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n".utf8) + [0x81, 0x00]
        var parser = HTTPResponseHeadParser()
        for (offset, byte) in text.enumerated() {
            let result = try parser.parse([byte][...])
            if case .head(let head, let consumed) = result {
                #expect(head.status == 101)
                #expect(head.reason == "Switching Protocols")
                #expect(head.headers["upgrade"] == "websocket")
                #expect(consumed == 1)
                #expect(offset == text.count - 3)
                return
            }
        }
        Issue.record("the head never completed")
    }
}
