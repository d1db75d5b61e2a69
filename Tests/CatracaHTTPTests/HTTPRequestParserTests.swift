import Testing
@testable import CatracaHTTP

/// Feeds `bytes` to a fresh parser in pieces of `pieceSize` and returns the first complete request with the
/// offset in `bytes` where it ended.
private func parseInPieces(_ bytes: [UInt8], pieceSize: Int,
                           limits: HTTPParserLimits = .init()) throws -> (HTTPRequest, end: Int)? {
    var parser = HTTPRequestParser(limits: limits)
    var offset = 0
    while offset < bytes.count {
        let piece = bytes[offset..<min(offset + pieceSize, bytes.count)]
        switch try parser.parse(piece) {
        case .needMoreBytes: offset += piece.count
        case .request(let request, let consumed): return (request, offset + consumed)
        case .head: Issue.record("a parser that does not stop after the head stopped there"); return nil
        }
    }
    return nil
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

private func parseError(_ text: String, limits: HTTPParserLimits = .init()) -> HTTPParseError? {
    var parser = HTTPRequestParser(limits: limits)
    do {
        _ = try parser.parse(bytes(text)[...])
        return nil
    } catch {
        return error
    }
}

@Suite struct HTTPRequestParserTests {
    let upgrade = "GET /evo?site=7 HTTP/1.1\r\nHost: cabinet.local\r\nUpgrade: websocket\r\n"
        + "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n"

    @Test func wholeRequestParsesWithHeadersPathAndQuery() throws {
        let (request, end) = try #require(try parseInPieces(bytes(upgrade), pieceSize: 4096))
        #expect(end == upgrade.utf8.count)
        #expect(request.head.method == "GET")
        #expect(request.head.target == "/evo?site=7")
        #expect(request.head.path == "/evo")
        #expect(request.head.query == "site=7")
        #expect(request.head.versionMajor == 1 && request.head.versionMinor == 1)
        #expect(request.head.headers["host"] == "cabinet.local")
        #expect(request.head.headers.containsToken("upgrade", in: "CONNECTION"))
        #expect(!request.head.headers.containsToken("close", in: "Connection"))
        #expect(request.body.isEmpty)
    }

    @Test func requestArrivingOneByteAtATimeGivesTheSameResult() throws {
        let whole = try #require(try parseInPieces(bytes(upgrade), pieceSize: 4096))
        let trickled = try #require(try parseInPieces(bytes(upgrade), pieceSize: 1))
        #expect(whole.0 == trickled.0)
        #expect(trickled.end == upgrade.utf8.count)
    }

    @Test func bytesAfterTheRequestAreLeftToTheCaller() throws {
        var parser = HTTPRequestParser()
        let input = bytes(upgrade) + [0x81, 0x85, 1, 2, 3, 4]
        guard case .request(_, let consumed) = try parser.parse(input[...]) else {
            Issue.record("expected a complete request")
            return
        }
        #expect(Array(input[consumed...]) == [0x81, 0x85, 1, 2, 3, 4])
    }

    @Test func pipelinedRequestsParseOneAfterTheOther() throws {
        var parser = HTTPRequestParser()
        let input = bytes("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n")
        guard case .request(let first, let consumed) = try parser.parse(input[...]) else {
            Issue.record("expected the first request")
            return
        }
        guard case .request(let second, _) = try parser.parse(input[consumed...]) else {
            Issue.record("expected the second request")
            return
        }
        #expect(first.head.target == "/a")
        #expect(second.head.target == "/b")
    }

    @Test func leadingEmptyLinesBeforeTheRequestLineAreIgnored() throws {
        let (request, _) = try #require(try parseInPieces(bytes("\r\nGET / HTTP/1.0\r\n\r\n"), pieceSize: 3))
        #expect(request.head.versionMinor == 0)
    }

    @Test func contentLengthBodyArrivesByteByByte() throws {
        let text = "POST /records HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello worldGET"
        let (request, end) = try #require(try parseInPieces(bytes(text), pieceSize: 1))
        #expect(request.body == bytes("hello world"))
        #expect(end == text.utf8.count - 3)
    }

    @Test func chunkedBodyWithExtensionsAndTrailersIsDecoded() throws {
        let text = "POST /records HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n6\r\n world\r\nA\r\n0123456789\r\n0\r\nChecksum: abc\r\n\r\n"
        for pieceSize in [1, 2, 7, 4096] {
            let (request, end) = try #require(try parseInPieces(bytes(text), pieceSize: pieceSize))
            #expect(request.body == bytes("hello world0123456789"))
            #expect(end == text.utf8.count)
        }
    }

    @Test func chunkedBodyLargerThanTheLimitIsRefused() {
        let limits = HTTPParserLimits(maxBodyBytes: 8)
        let text = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n"
        #expect(parseError(text, limits: limits) == .bodyTooLarge(limit: 8))
    }

    @Test func chunkDataNotFollowedByLineEndIsRefused() {
        let text = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n"
        #expect(parseError(text) == .badChunk("chunk data not followed by CRLF"))
    }

    @Test func nonHexadecimalChunkSizeIsRefused() {
        let text = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
        #expect(parseError(text) == .badChunk("bad chunk size \"zz\""))
    }

    @Test(arguments: [
        ("GET /\r\n\r\n", HTTPParseError.badRequestLine("GET /")),
        ("GET  / HTTP/1.1\r\n\r\n", .badRequestLine("GET  / HTTP/1.1")),
        ("G(T / HTTP/1.1\r\n\r\n", .badRequestLine("G(T / HTTP/1.1")),
        ("GET / HTTX/1.1\r\n\r\n", .badRequestLine("GET / HTTX/1.1")),
        ("GET / HTTP/2.0\r\n\r\n", .unsupportedVersion("HTTP/2.0")),
        ("GET / HTTP/1.1\r\nHost x\r\n\r\n", .badHeaderLine("Host x")),
        ("GET / HTTP/1.1\r\nHost : x\r\n\r\n", .badHeaderLine("Host : x")),
        ("GET / HTTP/1.1\r\n: x\r\n\r\n", .badHeaderLine(": x")),
        ("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", .obsoleteLineFolding),
        ("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", .bareCarriageReturn),
        ("GET / HTTP/1.1\r\nHost: a\u{1}b\r\n\r\n", .badHeaderValue(name: "Host")),
        ("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
         .contentLengthWithTransferEncoding),
        ("POST / HTTP/1.1\r\nContent-Length: -3\r\n\r\n", .badContentLength("-3")),
        ("POST / HTTP/1.1\r\nContent-Length: 3x\r\n\r\n", .badContentLength("3x")),
        ("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", .badContentLength("3,4")),
        ("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
         .badContentLength("99999999999999999999")),
        ("POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n", .bodyTooLarge(limit: 1024 * 1024)),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferEncoding("gzip, chunked")),
    ])
    func malformedRequestIsRefusedWithANamedProblem(text: String, expected: HTTPParseError) {
        #expect(parseError(text) == expected)
    }

    @Test func repeatedEqualContentLengthsAreAccepted() throws {
        let text = "POST / HTTP/1.1\r\nContent-Length: 2, 2\r\n\r\nok"
        let (request, _) = try #require(try parseInPieces(bytes(text), pieceSize: 100))
        #expect(request.body == bytes("ok"))
    }

    @Test func headLargerThanTheLimitIsRefusedEvenWhenItTrickles() {
        let limits = HTTPParserLimits(maxHeadBytes: 64)
        let text = "GET / HTTP/1.1\r\nX-Long: " + String(repeating: "a", count: 100)
        #expect(throws: HTTPParseError.headTooLarge(limit: 64)) {
            _ = try parseInPieces(bytes(text), pieceSize: 1, limits: limits)
        }
    }

    @Test func moreHeadersThanTheLimitAreRefused() {
        let limits = HTTPParserLimits(maxHeaderCount: 3)
        let text = "GET / HTTP/1.1\r\n" + (0..<4).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        #expect(parseError(text, limits: limits) == .tooManyHeaders(limit: 3))
        #expect(HTTPParseError.tooManyHeaders(limit: 3).status == 431)
    }

    @Test func parserStaysFailedAfterAnError() {
        var parser = HTTPRequestParser()
        #expect(throws: HTTPParseError.obsoleteLineFolding) {
            _ = try parser.parse(bytes("GET / HTTP/1.1\r\n folded\r\n")[...])
        }
        #expect(throws: HTTPParseError.obsoleteLineFolding) {
            _ = try parser.parse(bytes("GET / HTTP/1.1\r\n\r\n")[...])
        }
    }

    @Test func bufferedBytesCountsThePartialHeadAndBody() throws {
        var parser = HTTPRequestParser()
        _ = try parser.parse(bytes("GET / HT")[...])
        #expect(parser.bufferedBytes == 8)
        _ = try parser.parse(bytes("TP/1.1\r\nContent-Length: 4\r\n\r\nab")[...])
        #expect(parser.bufferedBytes == 2)
    }

    @Test func sixteenKilobyteHeadTrickledByteByByteParses() throws {
        let filler = (0..<90).map { "X-Field-\($0): " + String(repeating: "v", count: 160) + "\r\n" }.joined()
        let text = "GET / HTTP/1.1\r\n" + filler + "\r\n"
        #expect(text.utf8.count < 16 * 1024)
        let (request, _) = try #require(try parseInPieces(bytes(text), pieceSize: 1))
        #expect(request.head.headers.count == 90)
    }
}

@Suite struct NotHTTPTests {
    @Test func aTLSHelloIsRefusedAtItsFirstByteNotAfterATimeout() {
        var parser = HTTPRequestParser()
        let clientHello: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]
        #expect {
            try parser.parse(clientHello[...])
        } throws: { error in
            (error as? HTTPParseError)?.status == 400 && "\(error)".contains("not HTTP")
        }
    }

    @Test func blankLinesBeforeTheRequestLineAreStillAllowed() throws {
        var parser = HTTPRequestParser()
        _ = try parser.parse(Array("\r\n".utf8)[...])
        let result = try parser.parse(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)[...])
        guard case .request(let request, _) = result else {
            Issue.record("expected a request, got \(result)")
            return
        }
        #expect(request.head.method == "GET")
    }
}
