#if canImport(Glibc)
import Glibc
#endif

/// A system call that failed: which call, on what, and the `errno` it left.
public struct SystemError: Error, CustomStringConvertible, Equatable {
    public var call: String
    public var errno: Int32
    /// What the call was made on, e.g. `127.0.0.1:7792` or `fd 12`.
    public var subject: String

    public init(call: String, errno: Int32, subject: String = "") {
        self.call = call
        self.errno = errno
        self.subject = subject
    }

    public var description: String {
        let message = String(cString: strerror(errno))
        let on = subject.isEmpty ? "" : " on \(subject)"
        return "\(call)\(on) failed: \(message) (errno \(errno))"
    }
}

/// Runs a system call, retrying it when a signal interrupted it, and throws its `errno` otherwise.
///
/// `EAGAIN`/`EWOULDBLOCK` are thrown like any other error; non-blocking callers check for them.
@discardableResult
func systemCall<Result: BinaryInteger>(
    _ name: String, subject: @autoclosure () -> String = "", _ body: () -> Result
) throws -> Result {
    while true {
        let result = body()
        if result >= 0 { return result }
        let error = Glibc.errno
        if error == EINTR { continue }
        throw SystemError(call: name, errno: error, subject: subject())
    }
}

extension SystemError {
    /// The call would have blocked: a non-blocking socket has nothing to read or no room to write.
    var wouldBlock: Bool { errno == EAGAIN || errno == EWOULDBLOCK }
}
