import CatracaHTTP

/// Assembles one HTTP/1.1 response from the bytes a connection delivers: the head through
/// `HTTPResponseHeadParser`, then a `Content-Length` body, or everything until the server closes
/// when no length is given (requests ask for `Connection: close`).
///
/// I/O-free, so that framing is tested with byte arrays. Chunked bodies are refused: the API
/// always sends `Content-Length`.
public struct HTTPResponseReader {
    /// What one call to `read` or `finish` produced.
    public enum Progress: Equatable {
        case needMoreBytes
        case complete(APIResponse)
    }

    /// A response body larger than this is refused (a getuserlist of 100,000 users fits easily).
    public static let maxBodyBytes = 256 * 1024 * 1024

    private var headParser = HTTPResponseHeadParser()
    private var head: HTTPResponseHead?
    private var expectedLength: Int?
    private var body: [UInt8] = []

    public init() {}

    /// Takes the next bytes read from the connection.
    public mutating func read(_ bytes: ArraySlice<UInt8>) throws -> Progress {
        var rest = bytes
        if head == nil {
            guard case .head(let parsed, let consumed) = try headParser.parse(rest) else { return .needMoreBytes }
            try accept(parsed)
            rest = rest.dropFirst(consumed)
        }
        body.append(contentsOf: rest)
        if body.count > HTTPResponseReader.maxBodyBytes {
            throw ReadError("the body is larger than \(HTTPResponseReader.maxBodyBytes) bytes")
        }
        return completedResponse() ?? .needMoreBytes
    }

    /// Called when the server closed the connection: the response ends here, if it can.
    public mutating func finish() throws -> APIResponse {
        guard let head else { throw ReadError("the connection closed before a complete response head") }
        if let expectedLength, body.count < expectedLength {
            throw ReadError("the connection closed after \(body.count) of \(expectedLength) body bytes")
        }
        return APIResponse(status: head.status, body: body)
    }

    private mutating func accept(_ parsed: HTTPResponseHead) throws {
        if parsed.headers.containsToken("chunked", in: "Transfer-Encoding") {
            throw ReadError("chunked bodies are not supported")
        }
        if let lengthText = parsed.headers["Content-Length"] {
            guard let length = Int(lengthText), length >= 0, length <= HTTPResponseReader.maxBodyBytes else {
                throw ReadError("Content-Length \"\(lengthText)\" is not a usable length")
            }
            expectedLength = length
        } else if parsed.status == 204 || parsed.status == 304 {
            expectedLength = 0
        }
        head = parsed
    }

    private mutating func completedResponse() -> Progress? {
        guard let head, let expectedLength, body.count >= expectedLength else { return nil }
        return .complete(APIResponse(status: head.status, body: Array(body.prefix(expectedLength))))
    }

    /// A response that cannot be read; `detail` says why.
    public struct ReadError: Error, Equatable, CustomStringConvertible {
        public var detail: String
        init(_ detail: String) { self.detail = detail }
        public var description: String { detail }
    }
}
