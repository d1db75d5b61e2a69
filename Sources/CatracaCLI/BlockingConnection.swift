#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP connection with a deadline on every step, for one request and its response.
///
/// Connecting is done non-blocking and waited for with `poll`, so that an address that drops
/// packets fails after `connectTimeout` instead of the kernel's minutes; reads wait with `poll`
/// up to the deadline given.
final class BlockingConnection {
    private let descriptor: Int32
    let address: String

    private init(descriptor: Int32, address: String) {
        self.descriptor = descriptor
        self.address = address
    }

    deinit { close(descriptor) }

    /// Connects to the first address of `host` that answers.
    static func open(host: String, port: UInt16, connectTimeout: Double) throws(APIClientError)
        -> BlockingConnection
    {
        let shown = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var lastProblem = "no address"
        for candidate in try resolve(host: host, port: port) {
            do {
                let descriptor = try connect(to: candidate, timeout: connectTimeout)
                return BlockingConnection(descriptor: descriptor, address: shown)
            } catch let problem {
                lastProblem = problem.detail
            }
        }
        throw .unreachable(address: shown, detail: lastProblem)
    }

    /// Writes every byte of `bytes`.
    func write(_ bytes: [UInt8]) throws(APIClientError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .connectionLost(address: address, detail: "send: " + BlockingConnection.errorText(errno))
            }
            offset += written
        }
    }

    /// Reads what has arrived, waiting at most until `deadline` (monotonic seconds); an empty
    /// result means the server closed the connection.
    func read(until deadline: Double, timeoutShown: Double) throws(APIClientError) -> [UInt8] {
        while true {
            let remaining = deadline - BlockingConnection.now()
            guard remaining > 0 else { throw .timedOut(address: address, seconds: timeoutShown) }
            var wanted = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&wanted, 1, Int32(min(remaining * 1000, Double(Int32.max))))
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 {
                throw .connectionLost(address: address, detail: "poll: " + BlockingConnection.errorText(errno))
            }
            if ready == 0 { continue }
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 {
                throw .connectionLost(address: address, detail: "recv: " + BlockingConnection.errorText(errno))
            }
            return Array(buffer.prefix(count))
        }
    }

    /// Monotonic seconds, for deadlines.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code)) + " (errno \(code))"
    }

    private struct ConnectProblem: Error { var detail: String }

    /// One resolved address: family, socket type, and the sockaddr bytes.
    private struct Candidate {
        var family: Int32
        var socketType: Int32
        var protocolNumber: Int32
        var address: [UInt8]
    }

    private static func resolve(host: String, port: UInt16) throws(APIClientError) -> [Candidate] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            throw .unresolvable(host: host, detail: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var candidates: [Candidate] = []
        var entry = list
        while let current = entry?.pointee {
            if let address = current.ai_addr {
                let bytes = Array(UnsafeRawBufferPointer(start: address, count: Int(current.ai_addrlen)))
                candidates.append(Candidate(family: current.ai_family, socketType: current.ai_socktype,
                                            protocolNumber: current.ai_protocol, address: bytes))
            }
            entry = current.ai_next
        }
        return candidates
    }

    private static func connect(to candidate: Candidate, timeout: Double) throws(ConnectProblem) -> Int32 {
        let descriptor = socket(candidate.family, candidate.socketType | Int32(SOCK_CLOEXEC.rawValue),
                                candidate.protocolNumber)
        guard descriptor >= 0 else { throw ConnectProblem(detail: "socket: " + errorText(errno)) }
        do {
            try connectWaiting(descriptor, to: candidate, timeout: timeout)
            return descriptor
        } catch let problem {
            close(descriptor)
            throw problem
        }
    }

    /// Starts a non-blocking connect and waits for it with `poll`, then makes the socket blocking again.
    private static func connectWaiting(_ descriptor: Int32, to candidate: Candidate,
                                       timeout: Double) throws(ConnectProblem) {
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        let started = candidate.address.withUnsafeBytes { raw in
            Glibc.connect(descriptor, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        if started != 0 && errno != EINPROGRESS {
            throw ConnectProblem(detail: errorText(errno))
        }
        if started != 0 {
            var wanted = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&wanted, 1, Int32(timeout * 1000))
            guard ready > 0 else { throw ConnectProblem(detail: "no answer within \(Int(timeout)) s") }
            var failure: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &length)
            guard failure == 0 else { throw ConnectProblem(detail: errorText(failure)) }
        }
        _ = fcntl(descriptor, F_SETFL, flags)
    }
}
