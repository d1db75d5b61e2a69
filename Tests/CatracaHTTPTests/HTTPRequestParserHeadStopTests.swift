import Testing
@testable import CatracaHTTP

/// A parser made with `stopsAfterHead` hands over each head before reading a byte of its body.
@Suite struct HTTPRequestParserHeadStopTests {
    private let upload = Array("POST /v1/x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello".utf8)

    @Test func theHeadComesFirstAndTheBodyOnlyAfterReadBody() throws {
        var parser = HTTPRequestParser(stopsAfterHead: true)

        guard case .head(let head, let consumed) = try parser.parse(upload[...]) else {
            Issue.record("expected the head alone")
            return
        }
        #expect(head.target == "/v1/x")
        #expect(consumed == upload.count - 5)
        #expect(parser.bufferedBytes == 0)

        try parser.readBody()
        #expect(parser.isReadingBody)
        guard case .request(let request, let rest) = try parser.parse(upload[consumed...]) else {
            Issue.record("expected the request once its body was read")
            return
        }
        #expect(request.body == Array("hello".utf8))
        #expect(rest == 5)
    }

    @Test func aBodylessRequestCompletesWithAnEmptyParseAfterReadBody() throws {
        var parser = HTTPRequestParser(stopsAfterHead: true)
        guard case .head(_, _) = try parser.parse(Array("GET / HTTP/1.1\r\n\r\n".utf8)[...]) else {
            Issue.record("expected the head")
            return
        }
        try parser.readBody()
        #expect(!parser.isReadingBody)
        guard case .request(let request, consumed: 0) = try parser.parse([][...]) else {
            Issue.record("expected the bodyless request")
            return
        }
        #expect(request.head.path == "/")
    }

    @Test func aLowerLimitForThisRequestRefusesALongerContentLengthAtOnce() throws {
        var parser = HTTPRequestParser(stopsAfterHead: true)
        _ = try parser.parse(upload[...])
        #expect(throws: HTTPParseError.bodyTooLarge(limit: 4)) { try parser.readBody(maxBodyBytes: 4) }
    }

    @Test func aLowerLimitHoldsForChunkedBodiesAndResetsForTheNextRequest() throws {
        let chunked = Array("POST /login HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n0\r\n\r\n".utf8)
        var parser = HTTPRequestParser(stopsAfterHead: true)
        guard case .head(_, let consumed) = try parser.parse(chunked[...]) else {
            Issue.record("expected the head")
            return
        }
        try parser.readBody(maxBodyBytes: 4)
        #expect(throws: HTTPParseError.bodyTooLarge(limit: 4)) { try parser.parse(chunked[consumed...]) }

        var next = HTTPRequestParser(stopsAfterHead: true)
        guard case .head(_, let headBytes) = try next.parse(chunked[...]) else { return }
        try next.readBody(maxBodyBytes: 6)
        guard case .request(let request, _) = try next.parse(chunked[headBytes...]) else {
            Issue.record("expected the chunked request within its limit")
            return
        }
        #expect(request.body.count == 6)
    }
}

extension HTTPRequestParserHeadStopTests {
    @Test func badFramingIsRefusedWithTheHeadBeforeAnyCheck() {
        var parser = HTTPRequestParser(stopsAfterHead: true)
        #expect(throws: HTTPParseError.badContentLength("abc")) {
            try parser.parse(Array("POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n".utf8)[...])
        }
    }
}
