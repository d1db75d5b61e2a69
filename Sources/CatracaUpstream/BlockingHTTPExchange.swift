#if canImport(Glibc)
import Glibc
#endif
import CatracaHTTP
import Foundation

/// One HTTP/1.1 request and its response over a blocking socket with a deadline, on the caller's thread
/// (the HTTP transport's worker thread, never the event loop).
///
/// One connection per request (`Connection: close`): a batch is hundreds of entries, so a new connection's
/// cost is small next to it, and nothing half-read survives from one batch to the next.
struct BlockingHTTPExchange {
    struct Response {
        var head: HTTPResponseHead
        var body: [UInt8]
    }

    /// A network failure, worded for the operator: which call failed against which address.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let host: String
    let port: Int
    let timeout: TimeInterval
    /// Bytes of the response body read at most; the rest is not needed to judge a batch.
    var maxBodyBytes = 64 * 1024

    func run(_ request: [UInt8]) throws(Failure) -> Response {
        let deadline = Date().addingTimeInterval(timeout)
        let fd = try connect()
        defer { close(fd) }
        try send(request, on: fd, deadline: deadline)
        return try readResponse(from: fd, deadline: deadline)
    }

    private func connect() throws(Failure) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &list)
        guard code == 0, let first = list else {
            throw Failure(description: "cannot resolve \(host): \(String(cString: gai_strerror(code)))")
        }
        defer { freeaddrinfo(list) }

        var lastError: Int32 = 0
        var current: UnsafeMutablePointer<addrinfo>? = first
        while let address = current {
            current = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { lastError = errno; continue }
            // On Linux connect() also gives up after SO_SNDTIMEO (socket(7)).
            setTimeout(fd, SO_SNDTIMEO)
            setTimeout(fd, SO_RCVTIMEO)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return fd }
            lastError = errno
            close(fd)
        }
        throw Failure(description: "cannot connect to \(host):\(port): \(String(cString: strerror(lastError)))")
    }

    private func setTimeout(_ fd: Int32, _ option: Int32) {
        var value = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    private func send(_ bytes: [UInt8], on fd: Int32, deadline: Date) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.send(fd, buffer.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                let error = errno
                if error == EINTR && Date() < deadline { continue }
                throw Failure(description: failureText("send", error))
            }
            offset += written
        }
    }

    private func readResponse(from fd: Int32, deadline: Date) throws(Failure) -> Response {
        var parser = HTTPResponseHeadParser()
        var head: HTTPResponseHead?
        var body: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)

        while true {
            guard Date() < deadline else { throw Failure(description: "no complete answer from \(host):\(port) "
                                                             + "within \(Int(timeout)) s") }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                let error = errno
                if error == EINTR { continue }
                throw Failure(description: failureText("read", error))
            }
            if count == 0 {
                guard let head else { throw Failure(description: "\(host):\(port) closed before answering") }
                return Response(head: head, body: body)
            }
            var bytes = buffer[0..<count]
            if head == nil {
                do {
                    guard case .head(let parsed, let consumed) = try parser.parse(bytes) else { continue }
                    head = parsed
                    bytes = bytes.dropFirst(consumed)
                } catch {
                    throw Failure(description: "\(host):\(port) answered something that is not HTTP: \(error)")
                }
            }
            body.append(contentsOf: bytes.prefix(max(0, maxBodyBytes - body.count)))
            if let head, isComplete(head: head, bodyCount: body.count) { return Response(head: head, body: body) }
        }
    }

    /// With a `Content-Length`, the answer is complete once that much body came (or the kept part is full);
    /// without one it ends when the server closes.
    private func isComplete(head: HTTPResponseHead, bodyCount: Int) -> Bool {
        if head.status == 204 || head.status == 304 || (100..<200).contains(head.status) { return true }
        guard let text = head.headers["Content-Length"], let length = Int(text) else { return false }
        return bodyCount >= min(length, maxBodyBytes)
    }

    private func failureText(_ call: String, _ error: Int32) -> String {
        if error == EAGAIN || error == EWOULDBLOCK {
            return "\(host):\(port) did not answer within \(Int(timeout)) s"
        }
        return "\(call) to \(host):\(port) failed: \(String(cString: strerror(error)))"
    }
}
