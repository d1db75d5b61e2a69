import CatracaHTTP

/// The opening handshake of RFC 6455 section 4: what a server checks and answers, what a client sends and checks.
enum Handshake {
    /// Appended to the client's key before hashing (RFC 6455 section 1.3).
    static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`: base64(SHA-1(key + GUID)).
    static func acceptValue(forKey key: String) -> String {
        Base64.encode(SHA1.digest(Array((key + guid).utf8)))
    }

    /// Checks an upgrade request. Returns the refusal to send, or nil when the request is a valid upgrade.
    static func refusal(for request: HTTPRequest) -> HandshakeRefusal? {
        let head = request.head
        let headers = head.headers
        if head.method != "GET" {
            return HandshakeRefusal(status: 405, reason: "WebSocket upgrade needs GET, got \(head.method)")
        }
        if !head.isVersion(atLeast: 1, 1) {
            return HandshakeRefusal(status: 400, reason: "WebSocket upgrade needs HTTP/1.1 or later")
        }
        if headers["Host"] == nil {
            return HandshakeRefusal(status: 400, reason: "missing Host header")
        }
        if !headers.containsToken("websocket", in: "Upgrade") {
            return HandshakeRefusal(status: 400, reason: "missing Upgrade: websocket header")
        }
        if !headers.containsToken("Upgrade", in: "Connection") {
            return HandshakeRefusal(status: 400, reason: "Connection header does not list Upgrade")
        }
        if headers.values(for: "Sec-WebSocket-Version") != ["13"] {
            return HandshakeRefusal(status: 426, reason: "unsupported Sec-WebSocket-Version: use 13")
        }
        let keys = headers.values(for: "Sec-WebSocket-Key")
        guard keys.count == 1, Base64.decode(keys[0])?.count == 16 else {
            return HandshakeRefusal(status: 400, reason: "Sec-WebSocket-Key must be base64 of 16 bytes")
        }
        if !request.body.isEmpty {
            return bodyRefusal
        }
        return nil
    }

    /// The 101 response that completes a valid upgrade. No extension or subprotocol is offered.
    static func switchingProtocols(for head: HTTPRequestHead) -> HTTPResponse {
        let key = head.headers["Sec-WebSocket-Key"] ?? ""
        return HTTPResponse(status: 101, headers: HTTPHeaders([
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Accept", acceptValue(forKey: key)),
        ]))
    }

    /// Why an upgrade request with a body is refused.
    static let bodyRefusal = HandshakeRefusal(status: 400, reason: "a WebSocket upgrade request carries no body")

    /// The response for a refused upgrade, with the reason in a plain-text body.
    static func refusalResponse(_ refusal: HandshakeRefusal) -> HTTPResponse {
        var headers = HTTPHeaders([("Content-Type", "text/plain; charset=utf-8"), ("Connection", "close")])
        if refusal.status == 426 { headers.add(name: "Sec-WebSocket-Version", value: "13") }
        if refusal.status == 405 { headers.add(name: "Allow", value: "GET") }
        return HTTPResponse(status: refusal.status, headers: headers, body: Array((refusal.reason + "\n").utf8))
    }

    /// The upgrade request a client sends, with a fresh random key.
    static func clientRequest(host: String, path: String) -> (head: HTTPRequestHead, key: String) {
        var generator = SystemRandomNumberGenerator()
        let nonce = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let key = Base64.encode(nonce)
        let head = HTTPRequestHead(method: "GET", target: path, headers: HTTPHeaders([
            ("Host", host),
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", key),
            ("Sec-WebSocket-Version", "13"),
        ]))
        return (head, key)
    }

    static func serialized(_ head: HTTPRequestHead) -> [UInt8] {
        var text = "\(head.method) \(head.target) HTTP/\(head.versionMajor).\(head.versionMinor)\r\n"
        for field in head.headers.fields { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// Checks the server's answer to our upgrade (RFC 6455 section 4.1); returns why it fails, or nil.
    static func problem(with response: HTTPResponseHead, key: String) -> String? {
        let headers = response.headers
        if response.status != 101 {
            return "server answered the upgrade with \(response.status) \(response.reason)"
        }
        if !headers.containsToken("websocket", in: "Upgrade") {
            return "server's 101 lacks Upgrade: websocket"
        }
        if !headers.containsToken("Upgrade", in: "Connection") {
            return "server's 101 lacks Connection: Upgrade"
        }
        if headers["Sec-WebSocket-Accept"] != acceptValue(forKey: key) {
            return "server's Sec-WebSocket-Accept does not match our key"
        }
        if headers["Sec-WebSocket-Extensions"] != nil || headers["Sec-WebSocket-Protocol"] != nil {
            return "server chose an extension or subprotocol we did not offer"
        }
        return nil
    }
}
