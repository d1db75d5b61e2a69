#if canImport(Glibc)
import Glibc
#endif
import CatracaCore
import CatracaJSON
import CatracaServer
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import CatracaDaemon

/// The operators' API as the daemon serves it: its port, its token file, over a real loopback socket.
@Suite(.serialized) struct DaemonAPITests {
    @Test func theTokenFileIsCreatedPrivateAndCallsWithoutItAreRefused() throws {
        let harness = try DaemonTests.Harness()
        defer { harness.stop() }
        let tokenPath = harness.folder + "/store/api-token"
        let address = try #require(harness.daemon.apiAddress)

        var status = stat()
        #expect(stat(tokenPath, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o600)
        let token = try String(contentsOfFile: tokenPath, encoding: .utf8).trimmingCharacters(in: .newlines)
        #expect(token.count == 64)

        let refused = try DaemonAPITests.get("/v1/status", port: address.port, token: nil)
        let served = try DaemonAPITests.get("/v1/status", port: address.port, token: token)

        #expect(refused.status == 401)
        #expect(served.status == 200)
        #expect(served.body["store"]?["path"]?.string == harness.folder + "/store/catraca.db")
    }

    @Test func anAPIPortInUseIsAClearStartError() throws {
        let first = try DaemonTests.Harness()
        defer { first.stop() }
        let taken = try #require(first.daemon.apiAddress ?? first.daemon.terminalAddress)
        let folder = NSTemporaryDirectory() + "catraca-daemon-test-\(UUID().uuidString)"
        var configuration = Configuration()
        configuration.terminals.listen = "127.0.0.1:0"
        configuration.api.listen = taken.description
        configuration.store.path = folder + "/catraca.db"
        let second = Daemon(configuration: configuration, logger: Logger(label: "test", sink: MemoryLogSink()))

        #expect {
            try second.start()
        } throws: { error in
            "\(error)".contains("operators' API on \(taken.description)") && "\(error)".contains("api.listen")
        }
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test func aGivenTokenIsUsedAndATokenFileReadableByOthersIsAWarning() throws {
        let folder = NSTemporaryDirectory() + "catraca-token-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/token"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("abcdefghijklmnopqrstuvwxyz\n".utf8),
                                       attributes: [.posixPermissions: 0o644]))
        let sink = MemoryLogSink()
        let logger = Logger(label: "test", sink: sink)

        var given = Configuration.API()
        given.token = "given-token-0123456789"
        var fromFile = Configuration.API()
        fromFile.tokenFile = path

        #expect(try APIToken.resolve(given, storePath: folder + "/catraca.db", logger: logger) == given.token)
        #expect(try APIToken.resolve(fromFile, storePath: folder + "/catraca.db", logger: logger)
                == "abcdefghijklmnopqrstuvwxyz")
        #expect(!sink.entries(containing: "can be read by other users", level: .warning).isEmpty)
    }

    @Test func tokensAreComparedWhole() {
        #expect(APIToken.matches("0123456789abcdef", expected: "0123456789abcdef"))
        #expect(!APIToken.matches("0123456789abcde", expected: "0123456789abcdef"))
        #expect(!APIToken.matches("0123456789abcdeff", expected: "0123456789abcdef"))
        #expect(!APIToken.matches("", expected: "0123456789abcdef"))
    }

    struct Answer {
        var status: Int
        var body: JSONValue
    }

    /// One GET over a real socket with Foundation's URL loading, on loopback.
    static func get(_ path: String, port: UInt16, token: String?) throws -> Answer {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var answer: Answer?
        URLSession.shared.dataTask(with: request) { data, response, _ in
            if let response = response as? HTTPURLResponse, let data {
                answer = Answer(status: response.statusCode, body: (try? JSONReader().parse(Array(data))) ?? .null)
            }
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 10)
        guard let answer else { throw DaemonAPIFailure(description: "no answer from GET \(path)") }
        return answer
    }

    struct DaemonAPIFailure: Error, CustomStringConvertible {
        var description: String
    }
}
