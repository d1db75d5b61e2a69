#if canImport(Glibc)
import Glibc
#endif
import CSystem
import CatracaCore

/// Opens outgoing TCP connections without blocking the loop (for the terminal emulator and tests).
public enum TCPConnector {
    /// Connects to `address`; `completion` runs on the loop with the connected stream or the error.
    public static func connect(to address: SocketAddress, loop: EventLoop, readBuffer: ReadBuffer,
                               completion: @escaping (Result<StreamConnection, SystemError>) -> Void) {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let socketType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(family, socketType, 0)
        guard fd >= 0 else {
            return completion(.failure(SystemError(call: "socket", errno: errno, subject: address.description)))
        }
        let result = (try? address.withSockaddr { pointer, length in Glibc.connect(fd, pointer, length) }) ?? -1
        if result == 0 {
            return completion(.success(StreamConnection(fd: fd, peer: address, loop: loop, readBuffer: readBuffer)))
        }
        let error = errno
        guard error == EINPROGRESS else {
            close(fd)
            return completion(.failure(SystemError(call: "connect", errno: error, subject: address.description)))
        }
        let pending = PendingConnect(fd: fd, address: address, loop: loop, readBuffer: readBuffer,
                                     completion: completion)
        do {
            try loop.register(fd: fd, events: EPOLLOUT.rawValue, handler: pending)
        } catch {
            close(fd)
            completion(.failure(error as? SystemError ?? SystemError(call: "epoll_ctl", errno: EINVAL)))
        }
    }
}

/// Waits for a non-blocking connect to finish, then reports how it went.
private final class PendingConnect: EventLoopHandler {
    let fd: Int32
    let address: SocketAddress
    let loop: EventLoop
    let readBuffer: ReadBuffer
    let completion: (Result<StreamConnection, SystemError>) -> Void
    var selfReference: PendingConnect?

    init(fd: Int32, address: SocketAddress, loop: EventLoop, readBuffer: ReadBuffer,
         completion: @escaping (Result<StreamConnection, SystemError>) -> Void) {
        self.fd = fd
        self.address = address
        self.loop = loop
        self.readBuffer = readBuffer
        self.completion = completion
        selfReference = self
    }

    func handleEvents(_ events: UInt32) {
        loop.unregister(fd: fd)
        selfReference = nil
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        if error != 0 {
            close(fd)
            completion(.failure(SystemError(call: "connect", errno: error, subject: address.description)))
            return
        }
        completion(.success(StreamConnection(fd: fd, peer: address, loop: loop, readBuffer: readBuffer)))
    }
}
