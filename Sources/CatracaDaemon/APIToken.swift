#if canImport(Glibc)
import Glibc
#endif
import CatracaCore
import Foundation

/// The bearer token of the operators' API: where it comes from at start, and how a request's is checked.
enum APIToken {
    /// `api.token` when set; otherwise the token file's content, the file being created with a random
    /// token (32 bytes as hex, mode 0600) when it does not exist yet.
    static func resolve(_ api: Configuration.API, storePath: String, logger: Logger) throws -> String {
        if let token = api.token { return token }
        let path = api.tokenFile ?? defaultFile(storePath: storePath)
        if !FileManager.default.fileExists(atPath: path) {
            try create(at: path)
            logger.info("created the API token file", ["path": path])
        }
        warnIfReadableByOthers(path, logger: logger)
        return try read(path)
    }

    /// `api-token` beside the database.
    static func defaultFile(storePath: String) -> String {
        let folder = (storePath as NSString).deletingLastPathComponent
        return (folder.isEmpty ? "." : folder) + "/api-token"
    }

    /// Whether `given` equals `expected`, taking the same time wherever they first differ, so that the
    /// token cannot be guessed byte by byte from response times.
    static func matches(_ given: String, expected: String) -> Bool {
        let lhs = Array(given.utf8), rhs = Array(expected.utf8)
        var difference = UInt8(lhs.count == rhs.count ? 0 : 1)
        for index in 0..<rhs.count {
            difference |= (index < lhs.count ? lhs[index] : 0) ^ rhs[index]
        }
        return difference == 0
    }

    private static func create(at path: String) throws {
        // SystemRandomNumberGenerator draws from the kernel's CSPRNG (getrandom) on Linux.
        var generator = SystemRandomNumberGenerator()
        let random = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = random.map { String(format: "%02x", $0) }.joined() + "\n"
        // O_EXCL: two daemons starting at once cannot both write, and an existing file (or link) is not replaced.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw APITokenError(path: path, problem: "cannot create it: \(String(cString: strerror(errno))); "
                                + "create it yourself or set api.token")
        }
        defer { close(fd) }
        let written = token.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, token.utf8.count) }
        guard written == token.utf8.count else {
            throw APITokenError(path: path, problem: "cannot write it: \(String(cString: strerror(errno)))")
        }
    }

    private static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw APITokenError(path: path, problem: "cannot read it; check its permissions or set api.token")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.utf8.count >= 16, !token.contains(where: \.isWhitespace) else {
            throw APITokenError(path: path, problem: "it must hold one token of at least 16 characters; "
                                + "delete it and the daemon writes a new one")
        }
        return token
    }

    private static func warnIfReadableByOthers(_ path: String, logger: Logger) {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & 0o077 != 0 else { return }
        logger.warning("the API token file can be read by other users; chmod 600 it", [
            "path": path, "mode": String(status.st_mode & 0o777, radix: 8),
        ])
    }
}

/// The API token could not be had: which file, and what to do.
struct APITokenError: Error, CustomStringConvertible {
    var path: String
    var problem: String

    var description: String { "API token file \(path): \(problem)" }
}
