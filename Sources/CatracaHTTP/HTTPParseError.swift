/// Why a request could not be parsed. Each case names the problem and the response status that fits it.
///
/// The connection cannot continue after any of these: the parser no longer knows where the next request starts.
public enum HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The request line is not `METHOD SP target SP HTTP/x.y`; carries the line (cut to 80 characters).
    case badRequestLine(String)
    /// A response's status line is not `HTTP/x.y SP 3-digit-status SP reason`; carries the line.
    case badStatusLine(String)
    /// The request is not HTTP/1.0 or HTTP/1.1.
    case unsupportedVersion(String)
    /// The request line and header fields exceed the limit; carries the limit in bytes.
    case headTooLarge(limit: Int)
    /// More header fields than the limit allows.
    case tooManyHeaders(limit: Int)
    /// A header line has no colon, an empty or invalid name, or whitespace before the colon.
    case badHeaderLine(String)
    /// A header line starts with whitespace (obsolete line folding, RFC 9112 section 5.2).
    case obsoleteLineFolding
    /// A carriage return not followed by a line feed.
    case bareCarriageReturn
    /// A control character or other forbidden byte inside a header value.
    case badHeaderValue(name: String)
    /// Both `Content-Length` and `Transfer-Encoding` were sent: a request-smuggling risk.
    case contentLengthWithTransferEncoding
    /// `Content-Length` is not a decimal number, or several differing values were sent.
    case badContentLength(String)
    /// A transfer coding other than a single `chunked`.
    case unsupportedTransferEncoding(String)
    /// A chunk-size line is not hexadecimal or the chunk is not followed by CRLF.
    case badChunk(String)
    /// The body exceeds the limit; carries the limit in bytes.
    case bodyTooLarge(limit: Int)

    /// The HTTP status a server should answer with before closing the connection.
    public var status: Int {
        switch self {
        case .unsupportedVersion: return 505
        case .headTooLarge, .tooManyHeaders: return 431
        case .bodyTooLarge: return 413
        case .unsupportedTransferEncoding: return 501
        default: return 400
        }
    }

    public var description: String {
        switch self {
        case .badRequestLine(let line): return "bad request line \"\(line)\": expected METHOD /target HTTP/1.1"
        case .badStatusLine(let line): return "bad status line \"\(line)\": expected HTTP/1.1 101 Switching Protocols"
        case .unsupportedVersion(let version): return "unsupported HTTP version \(version): use HTTP/1.1"
        case .headTooLarge(let limit): return "request line and headers exceed \(limit) bytes"
        case .tooManyHeaders(let limit): return "more than \(limit) header fields"
        case .badHeaderLine(let line): return "bad header line \"\(line)\": expected name: value"
        case .obsoleteLineFolding: return "header line starts with whitespace (obsolete line folding is not accepted)"
        case .bareCarriageReturn: return "carriage return without line feed in the request head"
        case .badHeaderValue(let name): return "header \(name) contains a control character"
        case .contentLengthWithTransferEncoding: return "both Content-Length and Transfer-Encoding were sent"
        case .badContentLength(let value): return "bad Content-Length \"\(value)\": expected one decimal number"
        case .unsupportedTransferEncoding(let value): return "unsupported Transfer-Encoding \"\(value)\": only chunked"
        case .badChunk(let detail): return "bad chunked body: \(detail)"
        case .bodyTooLarge(let limit): return "request body exceeds \(limit) bytes"
        }
    }
}
