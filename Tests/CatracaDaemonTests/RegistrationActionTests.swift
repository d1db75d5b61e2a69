import CatracaCore
import CatracaEmulator
import CatracaServer
import Foundation
import Testing
@testable import CatracaDaemon

/// What the daemon does by itself when a terminal registers: set its clock (only from a synchronised
/// clock) and pull the records it holds as new.
@Suite(.serialized) struct RegistrationActionTests {
    /// One emulated terminal holding `logs` new records, connected for a moment and then stopped.
    private func runTerminal(against harness: DaemonTests.Harness, logs: Int) -> EmulatorReport? {
        var settings = EmulatorSettings(server: harness.address)
        settings.records = 0
        settings.seed = TerminalSeed(users: 0, logs: logs)
        let fleet = try? EmulatorFleet(settings: settings, serialNumbers: ["CLOCK1"])
        return fleet?.run(timeout: .seconds(20), idleFor: .seconds(1.5)).first
    }

    @Test func aRegisteringTerminalGetsTheSiteTimeAndGivesUpItsNewRecords() throws {
        let harness = try DaemonTests.Harness(clock: .synchronised) {
            $0.commands.onRegistration = .init(setTime: true, pullNewLogs: true)
        }
        let report = runTerminal(against: harness, logs: 45)
        harness.stop()

        #expect(report?.commandsReceived == 1 + 3,
                "settime, then getnewlog in three pages (20, 20, 5): \(String(describing: report))")
        #expect(!harness.sink.entries(containing: "terminal clock set", level: .info).isEmpty)
        let pulled = harness.sink.entries(containing: "new records pulled from terminal", level: .info)
        #expect(pulled.first?.metadata["new"] == "45")
        #expect(try harness.storedRecords().count == 45)
    }

    @Test func anUnsynchronisedClockIsNotPassedOnAndTheLogSaysWhy() throws {
        let harness = try DaemonTests.Harness(clock: .unsynchronised) {
            $0.commands.onRegistration = .init(setTime: true, pullNewLogs: false)
        }
        let report = runTerminal(against: harness, logs: 0)
        harness.stop()

        #expect(report?.commandsReceived == 0)
        let reasons = harness.sink.entries(containing: "terminal clock not set", level: .info)
        #expect(reasons.first?.message.contains("not synchronised") == true)
        #expect(reasons.first?.metadata["sn"] == "CLOCK1")
    }

    @Test func aClockThatCannotBeAskedAboutIsNotPassedOnEither() throws {
        let harness = try DaemonTests.Harness(clock: .unknown("Operation not permitted")) {
            $0.commands.onRegistration = .init(setTime: true, pullNewLogs: false)
        }
        let report = runTerminal(against: harness, logs: 0)
        harness.stop()

        #expect(report?.commandsReceived == 0)
        let reasons = harness.sink.entries(containing: "terminal clock not set", level: .info)
        #expect(reasons.first?.metadata["error"] == "Operation not permitted")
    }
}
