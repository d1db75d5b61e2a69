/// An HTTP/1.1 response to write: status, reason, header fields and body.
public struct HTTPResponse: Equatable, Sendable {
    public var status: Int
    public var reason: String
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, reason: String? = nil, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.reason = reason ?? HTTPResponse.standardReason(for: status)
        self.headers = headers
        self.body = body
    }

    /// Whether this status may carry a body (RFC 9110 section 6.4.1: not 1xx, 204 or 304).
    public var statusAllowsBody: Bool {
        !(100...199).contains(status) && status != 204 && status != 304
    }

    /// The response as bytes on the wire. Adds `Content-Length` when the status allows a body
    /// and none was set, so the client knows where the response ends.
    public func serialized() -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(Self.singleLine(reason))\r\n"
        for field in headers.fields {
            text += "\(Self.singleLine(field.name)): \(Self.singleLine(field.value))\r\n"
        }
        if statusAllowsBody && headers["Content-Length"] == nil && headers["Transfer-Encoding"] == nil {
            text += "Content-Length: \(body.count)\r\n"
        }
        text += "\r\n"

        var bytes = Array(text.utf8)
        if statusAllowsBody { bytes.append(contentsOf: body) }
        return bytes
    }

    /// `text` with line breaks turned into spaces, so a value taken from a request cannot add header lines.
    private static func singleLine(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) else { return text }
        return String(decoding: text.utf8.map { $0 == 0x0D || $0 == 0x0A ? 0x20 : $0 }, as: UTF8.self)
    }

    /// The usual reason phrase for the statuses this daemon sends.
    public static func standardReason(for status: Int) -> String {
        switch status {
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 201: return "Created"
        case 204: return "No Content"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 413: return "Content Too Large"
        case 426: return "Upgrade Required"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Status \(status)"
        }
    }
}
