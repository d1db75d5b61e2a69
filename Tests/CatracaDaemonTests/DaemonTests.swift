import CatracaCore
import CatracaEmulator
import CatracaServer
import CatracaStore
import Foundation
import Testing
@testable import CatracaDaemon

/// The daemon in this process on a real loopback socket, driven by emulated terminals.
@Suite(.serialized) struct DaemonTests {
    final class Harness {
        let folder: String
        let sink = MemoryLogSink()
        let daemon: Daemon

        /// - Parameter folder: another harness's folder, to start again on its database.
        init(clock: SystemClock.Synchronization = .synchronised, folder: String? = nil,
             configure: (inout Configuration) -> Void = { _ in }) throws {
            self.folder = folder ?? NSTemporaryDirectory() + "catraca-daemon-test-\(UUID().uuidString)"
            var configuration = Configuration()
            configuration.terminals.listen = "127.0.0.1:0"
            configuration.api.listen = "127.0.0.1:0"
            configuration.store.path = self.folder + "/store/catraca.db"
            configure(&configuration)
            daemon = Daemon(configuration: configuration, logger: Logger(label: "test", level: .debug, sink: sink),
                            clockSynchronization: { clock })
            try daemon.start()
        }

        var address: SocketAddress { daemon.terminalAddress! }

        func stop() {
            daemon.stop()
            daemon.wait()
        }

        func storedRecords() throws -> [StoredRecord] {
            let reader = try StoreReader(path: folder + "/store/catraca.db")
            defer { reader.close() }
            return try reader.records().all()
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }
    }

    @Test func terminalsThatResendAndReconnectEndWithEachRecordStoredOnce() throws {
        let harness = try Harness()
        var settings = EmulatorSettings(server: harness.address)
        settings.records = 200
        settings.batchSize = 20
        settings.resendEvery = 3
        settings.dropAfterBatches = 4
        let fleet = try EmulatorFleet(settings: settings, serialNumbers: ["T1", "T2", "T3"])

        let reports = fleet.run(timeout: .seconds(60))
        harness.stop()

        let summary = EmulatorSummary(reports: reports, expectedRecords: 200)
        #expect(summary.succeeded, "\(summary.text)")
        #expect(summary.resends > 0)
        #expect(summary.reconnects >= 3)
        let storedLines = harness.sink.entries(containing: "records stored", level: .info)
        #expect(storedLines.map { $0.metadata["new"] } == ["600"], "one summary line, written at the stop")
        let records = try harness.storedRecords()
        #expect(records.count == 600)
        #expect(Set(records.map(\.identity)).count == 600)
    }

    @Test func theStoreFolderIsCreatedAndStoppingIsLoggedStepByStep() throws {
        let harness = try Harness()
        #expect(FileManager.default.fileExists(atPath: harness.folder + "/store/catraca.db"))
        harness.stop()

        let messages = harness.sink.entries.map(\.message)
        let steps = ["stopping: no longer accepting terminals", "stopping: closing terminal connections",
                     "stopping: flushing the store", "stopped"]
        let positions = steps.compactMap { messages.firstIndex(of: $0) }
        #expect(positions.count == steps.count, "\(messages)")
        #expect(positions == positions.sorted())
    }

    @Test func aTerminalNotOnTheAllowListIsRefusedWithAReason() throws {
        let harness = try Harness { $0.terminals.allowList = ["ALLOWED1": .init(address: nil)] }
        var settings = EmulatorSettings(server: harness.address)
        settings.records = 20
        let fleet = try EmulatorFleet(settings: settings, serialNumbers: ["STRANGER", "ALLOWED1"])

        let reports = fleet.run(timeout: .seconds(30))
        harness.stop()

        let stranger = try #require(reports.first { $0.serialNumber == "STRANGER" })
        let allowed = try #require(reports.first { $0.serialNumber == "ALLOWED1" })
        #expect(stranger.refusedReason != nil)
        #expect(!stranger.registered)
        #expect(allowed.recordsAcknowledged == 20)
        #expect(try harness.storedRecords().allSatisfy { $0.identity.sn == "ALLOWED1" })
    }

    @Test func aDaemonThatCannotListenLeavesNoDatabaseBehind() throws {
        let first = try Harness()
        defer { first.stop() }
        let folder = NSTemporaryDirectory() + "catraca-daemon-test-\(UUID().uuidString)"
        var configuration = Configuration()
        configuration.terminals.listen = first.address.description
        configuration.api.listen = "127.0.0.1:0"
        configuration.store.path = folder + "/catraca.db"
        let second = Daemon(configuration: configuration, logger: Logger(label: "test", sink: MemoryLogSink()))

        #expect {
            try second.start()
        } throws: { error in
            "\(error)".contains("Address already in use")
        }
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test func aStoreThatCannotBeCreatedStopsTheStartWithTheFolderNamed() throws {
        var configuration = Configuration()
        configuration.terminals.listen = "127.0.0.1:0"
        configuration.api.listen = "127.0.0.1:0"
        configuration.store.path = "/proc/catraca-cannot-be-here/catraca.db"
        let daemon = Daemon(configuration: configuration, logger: Logger(label: "test", sink: MemoryLogSink()))
        #expect {
            try daemon.start()
        } throws: { error in
            "\(error)".contains("/proc/catraca-cannot-be-here")
        }
    }
}
