import CatracaJSON

/// A small blocking HTTP/1.1 client for the operators' API: one connection per call, a bearer token
/// on every request, JSON bodies.
///
/// Not URLSession: FoundationNetworking needs libcurl at run time, which a cabinet box may not have.
public final class APIClient {
    public let baseURL: APIBaseURL
    private let token: String
    /// How long to wait for the connection to be accepted.
    public var connectTimeout: Double
    /// How long to wait for the whole response. Long: a command's reply timeout applies per page of a
    /// listing, so a listing of thousands of users may legitimately take minutes.
    public var readTimeout: Double

    public init(baseURL: APIBaseURL, token: String, connectTimeout: Double = 5, readTimeout: Double = 600) {
        self.baseURL = baseURL
        self.token = token
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
    }

    /// `baseURL` as text, e.g. `http://127.0.0.1:7793`.
    public convenience init(baseURL: String, token: String) throws(APIClientError) {
        self.init(baseURL: try APIBaseURL(parsing: baseURL), token: token)
    }

    /// `GET path` (path with its query, e.g. `/v1/records?limit=10`).
    public func get(_ path: String) throws(APIClientError) -> APIResponse {
        try send(method: "GET", path: path, body: nil)
    }

    /// `POST path` with `body` as JSON.
    public func post(_ path: String, body: JSONValue) throws(APIClientError) -> APIResponse {
        try send(method: "POST", path: path, body: JSONWriter().bytes(body))
    }

    private func send(method: String, path: String, body: [UInt8]?) throws(APIClientError) -> APIResponse {
        let connection = try BlockingConnection.open(host: baseURL.host, port: baseURL.port,
                                                     connectTimeout: connectTimeout)
        try connection.write(request(method: method, path: path, body: body))
        return try readResponse(from: connection)
    }

    /// The request bytes: head with Host, Authorization, Connection: close and, with a body, its type and length.
    func request(method: String, path: String, body: [UInt8]?) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\n"
        head += "Host: \(baseURL.authority)\r\n"
        head += "Authorization: Bearer \(token)\r\n"
        head += "Accept: application/json\r\n"
        head += "Connection: close\r\n"
        if let body {
            head += "Content-Type: application/json\r\n"
            head += "Content-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + (body ?? [])
    }

    private func readResponse(from connection: BlockingConnection) throws(APIClientError) -> APIResponse {
        var reader = HTTPResponseReader()
        let deadline = BlockingConnection.now() + readTimeout
        do {
            while true {
                let bytes = try connection.read(until: deadline, timeoutShown: readTimeout)
                if bytes.isEmpty { return try reader.finish() }
                if case .complete(let response) = try reader.read(bytes[...]) { return response }
            }
        } catch let error as APIClientError {
            throw error
        } catch {
            throw .malformedResponse(address: connection.address, detail: "\(error)")
        }
    }
}
