#if canImport(Glibc)
import Glibc
#endif
import CatracaHTTP
import Foundation
@testable import CatracaServer

/// A blocking HTTP client over a real loopback socket, for driving an `HTTPServer` from a test thread.
final class LoopbackHTTPClient {
    struct Response {
        var head: HTTPResponseHead
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let fd: Int32
    private var received: [UInt8] = []

    init(port: UInt16, timeoutSeconds: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = try SocketAddress(host: "127.0.0.1", port: port).withSockaddr { connect(fd, $0, $1) }
        guard result == 0 else { throw Failure(description: "connect failed: errno \(errno)") }
    }

    deinit { close(fd) }

    func send(_ text: String) {
        send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset,
                                                             Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Reads one response: its head, then `Content-Length` bytes of body.
    func readResponse() throws -> Response {
        var parser = HTTPResponseHeadParser()
        var head: HTTPResponseHead?
        while head == nil {
            if !received.isEmpty, case .head(let parsed, let consumed) = try parser.parse(received[...]) {
                head = parsed
                received.removeFirst(consumed)
                break
            }
            received = []
            try fill()
        }
        let length = Int(head!.headers["Content-Length"] ?? "0") ?? 0
        while received.count < length { try fill() }
        let body = Array(received.prefix(length))
        received.removeFirst(length)
        return Response(head: head!, body: body)
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &chunk, chunk.count, 0)
        guard count > 0 else { throw Failure(description: count == 0 ? "closed by the server" : "recv errno \(errno)") }
        received.append(contentsOf: chunk.prefix(count))
    }

    /// Whether the server closes the connection (reading gives end of file) before the timeout.
    func isClosedByServer() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }
}
