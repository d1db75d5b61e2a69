/// What one call to `HTTPRequestParser.parse` produced.
public enum HTTPParseResult: Equatable, Sendable {
    /// Every byte given was consumed and kept; the request is not complete yet.
    case needMoreBytes
    /// Only from a parser made with `stopsAfterHead`: the head is complete and no byte of the body was read.
    /// `consumed` counts the bytes of this call's input that belonged to the head. Call `readBody` to go on
    /// (then `parse` the bytes after `consumed`), or answer without the body and close.
    case head(HTTPRequestHead, consumed: Int)
    /// A complete request. `consumed` counts the bytes of this call's input that belonged to it;
    /// the bytes after them are the caller's (the next request, or WebSocket frames after an upgrade).
    case request(HTTPRequest, consumed: Int)
}

/// An incremental HTTP/1.1 request parser that takes bytes as they arrive and does no I/O.
///
/// Give it each chunk of received bytes once. It keeps what it needs between calls (at most the head
/// limit plus the body limit), scanning every byte once, so a request arriving one byte at a time costs
/// the same as one arriving whole. After a complete request it starts over for the next one.
public struct HTTPRequestParser: Sendable {
    private enum State: Sendable {
        case head(HTTPHeadReader)
        /// The head is complete; waiting for `readBody` (with `stopsAfterHead` only).
        case headComplete
        case fixedBody(remaining: Int)
        case chunkSize(HTTPLineReader)
        case chunkData(remaining: Int)
        case chunkDataEnd(HTTPLineReader)
        case trailers(HTTPLineReader, bytes: Int)
        case failed(HTTPParseError)
    }

    private let limits: HTTPParserLimits
    private let stopsAfterHead: Bool
    private var state: State
    /// The body limit of the request in progress: the configured one unless `readBody` set a lower one.
    private var bodyLimit: Int
    private var head: HTTPRequestHead?

    /// The request's head once it has been read, while its body may still be arriving.
    public var headRead: HTTPRequestHead? { head }
    private var body: [UInt8] = []

    /// - Parameter stopsAfterHead: pause after each request's head (`.head`), so that the caller can check the
    ///   request before its body is read, e.g. refuse an unauthenticated upload without buffering it.
    public init(limits: HTTPParserLimits = .init(), stopsAfterHead: Bool = false) {
        self.limits = limits
        self.stopsAfterHead = stopsAfterHead
        self.state = .head(HTTPHeadReader(limits: limits))
        self.bodyLimit = limits.maxBodyBytes
    }

    /// Goes on after `.head`: the body is read, up to `maxBodyBytes` when given (never above the configured
    /// limit). Throws `bodyTooLarge` at once when `Content-Length` says more. Does nothing in other states.
    public mutating func readBody(maxBodyBytes: Int? = nil) throws(HTTPParseError) {
        guard case .headComplete = state, let head else { return }
        bodyLimit = min(maxBodyBytes ?? limits.maxBodyBytes, limits.maxBodyBytes)
        do {
            state = try bodyState(for: head.headers)
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// Whether a request has started to arrive: part of its head, or more.
    public var hasStartedRequest: Bool {
        switch state {
        case .head(let reader): return reader.startLine != nil || reader.bufferedCount > 0
        default: return true
        }
    }

    /// Whether the head of the request in progress is complete and its body is still to come.
    public var isReadingBody: Bool {
        switch state {
        case .head, .headComplete, .failed: return false
        case .fixedBody(let remaining): return remaining > 0
        default: return true
        }
    }

    /// Bytes held for the request in progress (its partial head or body).
    public var bufferedBytes: Int {
        switch state {
        case .head(let reader): return reader.bufferedCount
        default: return body.count
        }
    }

    /// Consumes `bytes`; returns a request once one is complete. After an error the parser stays failed,
    /// because it no longer knows where the next request starts: answer with `error.status` and close.
    public mutating func parse(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPParseResult {
        if case .failed(let error) = state { throw error }
        do {
            return try advance(through: bytes)
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private mutating func advance(through bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPParseResult {
        var index = bytes.startIndex
        while true {
            if case .headComplete = state, let head {
                return .head(head, consumed: index - bytes.startIndex)
            }
            if let request = completedRequest() {
                return .request(request, consumed: index - bytes.startIndex)
            }
            guard index < bytes.endIndex else { return .needMoreBytes }
            index = try step(bytes[index...])
        }
    }

    /// Refuses at once bytes that cannot start a request line (a TLS hello, binary noise), instead of
    /// waiting for a line end that may never come. Blank lines before the request line are allowed.
    private static func requireMethodStart(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) {
        guard let first = bytes.first(where: { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }) else { return }
        guard isTokenCharacter(first) else {
            throw .badRequestLine("byte 0x" + String(first, radix: 16) + " where a method should start (not HTTP?)")
        }
    }

    /// Advances the state machine over a prefix of `bytes`; returns the index after what it consumed.
    private mutating func step(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        switch state {
        case .head(var reader):
            if reader.startLine == nil && reader.bufferedCount == 0 { try Self.requireMethodStart(bytes) }
            let (next, complete) = try reader.read(bytes)
            state = .head(reader)
            if complete { try beginBody(after: reader) }
            return next

        case .fixedBody(let remaining):
            let end = bytes.startIndex + min(remaining, bytes.count)
            body.append(contentsOf: bytes[bytes.startIndex..<end])
            state = .fixedBody(remaining: remaining - (end - bytes.startIndex))
            return end

        case .chunkSize(var lines):
            let (next, line) = try lines.read(bytes, limit: 1024, overflow: .badChunk("chunk-size line too long"))
            state = .chunkSize(lines)
            if let line { try beginChunk(sizeLine: line) }
            return next

        case .chunkData(let remaining):
            let end = bytes.startIndex + min(remaining, bytes.count)
            body.append(contentsOf: bytes[bytes.startIndex..<end])
            let left = remaining - (end - bytes.startIndex)
            state = left == 0 ? .chunkDataEnd(HTTPLineReader()) : .chunkData(remaining: left)
            return end

        case .chunkDataEnd(var lines):
            let (next, line) = try lines.read(bytes, limit: 2, overflow: .badChunk("chunk data not followed by CRLF"))
            state = .chunkDataEnd(lines)
            if let line {
                guard line.isEmpty else { throw .badChunk("chunk data not followed by CRLF") }
                state = .chunkSize(HTTPLineReader())
            }
            return next

        case .trailers(var lines, let count):
            let budget = limits.maxHeadBytes - count
            let (next, line) = try lines.read(bytes, limit: budget, overflow: .headTooLarge(limit: limits.maxHeadBytes))
            state = .trailers(lines, bytes: count + next - bytes.startIndex)
            // Trailer fields are read and dropped: nothing here depends on them.
            if let line, line.isEmpty { state = .fixedBody(remaining: 0) }
            return next

        case .headComplete:
            return bytes.startIndex

        case .failed(let error):
            throw error
        }
    }

    /// The finished request, if the body is complete; resets the parser for the next request.
    private mutating func completedRequest() -> HTTPRequest? {
        guard case .fixedBody(remaining: 0) = state, let head else { return nil }
        let request = HTTPRequest(head: head, body: body)
        self.head = nil
        body = []
        bodyLimit = limits.maxBodyBytes
        state = .head(HTTPHeadReader(limits: limits))
        return request
    }

    private mutating func beginBody(after reader: HTTPHeadReader) throws(HTTPParseError) {
        let head = try Self.requestHead(startLine: reader.startLine ?? "", headers: reader.headers)
        self.head = head
        // The framing is checked at once either way: a malformed or oversized request is refused as such,
        // whoever sends it, and `readBody` can then only lower the limit.
        let body = try bodyState(for: head.headers)
        state = stopsAfterHead ? .headComplete : body
    }

    private func bodyState(for headers: HTTPHeaders) throws(HTTPParseError) -> State {
        let encodings = headers.values(for: "Transfer-Encoding")
        let lengths = headers.values(for: "Content-Length")
        if !encodings.isEmpty && !lengths.isEmpty { throw .contentLengthWithTransferEncoding }

        if !encodings.isEmpty {
            let coding = encodings.joined(separator: ",")
            guard coding.trimmingHTTPWhitespace().equalsIgnoringASCIICase("chunked") else {
                throw .unsupportedTransferEncoding(String(coding.prefix(80)))
            }
            return .chunkSize(HTTPLineReader())
        }

        guard !lengths.isEmpty else { return .fixedBody(remaining: 0) }
        let length = try Self.contentLength(lengths)
        guard length <= bodyLimit else { throw .bodyTooLarge(limit: bodyLimit) }
        return .fixedBody(remaining: length)
    }

    /// The one length that every `Content-Length` value agrees on (RFC 9110 section 8.6 allows `5, 5`).
    private static func contentLength(_ values: [String]) throws(HTTPParseError) -> Int {
        let joined = values.joined(separator: ",")
        let elements = joined.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingHTTPWhitespace() }
        var agreed: Int?
        for element in elements {
            guard !element.isEmpty, element.utf8.count <= 18,
                  element.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  let value = Int(element), agreed == nil || agreed == value
            else { throw .badContentLength(String(joined.prefix(80))) }
            agreed = value
        }
        return agreed ?? 0
    }

    private mutating func beginChunk(sizeLine: [UInt8]) throws(HTTPParseError) {
        let size = try Self.chunkSize(sizeLine)
        guard size <= bodyLimit - body.count else { throw .bodyTooLarge(limit: bodyLimit) }
        state = size == 0 ? .trailers(HTTPLineReader(), bytes: 0) : .chunkData(remaining: size)
    }

    /// Reads the hexadecimal size before any `;extension`.
    private static func chunkSize(_ line: [UInt8]) throws(HTTPParseError) -> Int {
        let digits = line.prefix { $0 != UInt8(ascii: ";") && $0 != 0x20 && $0 != 0x09 }
        let text = String(decoding: line.prefix(40), as: UTF8.self)
        guard !digits.isEmpty, digits.count <= 15 else { throw .badChunk("bad chunk size \"\(text)\"") }
        var size = 0
        for digit in digits {
            guard let value = hexValue(digit) else { throw .badChunk("bad chunk size \"\(text)\"") }
            size = size << 4 | value
        }
        return size
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// Splits the request line into method, target and version (RFC 9112 section 3).
    private static func requestHead(startLine: String, headers: HTTPHeaders) throws(HTTPParseError) -> HTTPRequestHead {
        let parts = startLine.split(separator: " ", omittingEmptySubsequences: false)
        let shown = String(startLine.prefix(80))
        guard parts.count == 3, !parts[0].isEmpty, parts[0].utf8.allSatisfy(isTokenCharacter),
              !parts[1].isEmpty, parts[1].utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { throw .badRequestLine(shown) }

        guard let version = parseHTTPVersion(parts[2]) else { throw .badRequestLine(shown) }
        guard version.major == 1 else { throw .unsupportedVersion(String(parts[2])) }
        return HTTPRequestHead(method: String(parts[0]), target: String(parts[1]), versionMajor: version.major,
                               versionMinor: version.minor, headers: headers)
    }
}
