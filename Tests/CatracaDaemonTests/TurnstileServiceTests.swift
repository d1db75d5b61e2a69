import CatracaCore
import CatracaEmulator
import CatracaGPIO
import CatracaServer
import CatracaStore
import Foundation
import Testing
@testable import CatracaDaemon

/// Passages end to end in one process: an emulated terminal's records, pulses on the simulated input,
/// passages in the store.
@Suite(.serialized) struct TurnstileServiceTests {
    private static func configure(_ configuration: inout Configuration) {
        var main = Configuration.Turnstile()
        main.entry = ["GATE1"]
        main.gpio.chip = "simulated"
        configuration.turnstiles = ["main": main]
        configuration.passages.windowSeconds = 1
        configuration.passages.rotationGraceSeconds = 0.3
    }

    /// Pushes `records` granted records from terminal GATE1, then disconnects.
    private func pushRecords(to harness: DaemonTests.Harness, records: Int) {
        var settings = EmulatorSettings(server: harness.address)
        settings.records = records
        settings.batchSize = records
        let fleet = try? EmulatorFleet(settings: settings, serialNumbers: ["GATE1"])
        _ = fleet?.run(timeout: .seconds(20))
    }

    private func passages(_ harness: DaemonTests.Harness) throws -> [StoredPassage] {
        let reader = try StoreReader(path: harness.folder + "/store/catraca.db")
        defer { reader.close() }
        return try reader.passages()
    }

    private func waitFor(_ condition: () throws -> Bool) rethrows {
        let deadline = Date().addingTimeInterval(10)
        while try !condition(), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    }

    @Test func aGrantFollowedByATurnIsAPassageTurnedA() throws {
        let harness = try DaemonTests.Harness(configure: TurnstileServiceTests.configure)
        pushRecords(to: harness, records: 1)
        harness.daemon.loop?.execute {
            try? harness.daemon.turnstiles?.pulse(turnstile: "main", line: .fireIn, duration: .milliseconds(80))
        }
        try waitFor { try passages(harness).count == 1 }
        harness.stop()

        let passage = try #require(try passages(harness).first)
        #expect(passage.outcome == "turned_a")
        #expect(passage.sn == "GATE1")
        #expect(passage.side == "entry")
        #expect(passage.rotationID != nil)
        #expect(passage.recordTime == "2024-01-01 08:00:00")
    }

    @Test func aGrantWithoutATurnClosesAsNotTurnedAfterTheWindow() throws {
        let harness = try DaemonTests.Harness(configure: TurnstileServiceTests.configure)
        pushRecords(to: harness, records: 1)
        try waitFor { try passages(harness).count == 1 }
        harness.stop()
        #expect(try passages(harness).map(\.outcome) == ["not_turned"])
    }

    @Test func aTurnWithoutAGrantIsAnUnauthorisedRotation() throws {
        let harness = try DaemonTests.Harness(configure: TurnstileServiceTests.configure)
        harness.daemon.loop?.execute {
            try? harness.daemon.turnstiles?.pulse(turnstile: "main", line: .exitButton, duration: .milliseconds(80))
        }
        try waitFor { try passages(harness).count == 1 }
        harness.stop()
        let passage = try #require(try passages(harness).first)
        #expect(passage.outcome == "unauthorised_rotation")
        #expect(passage.direction == "B")
        #expect(harness.sink.entries.contains { $0.level == .warning && $0.message.contains("unauthorised rotation") })
    }

    @Test func aRestartInsideTheWindowKeepsTheGrantOpen() throws {
        let harness = try DaemonTests.Harness { configuration in
            TurnstileServiceTests.configure(&configuration)
            configuration.passages.windowSeconds = 30
        }
        pushRecords(to: harness, records: 1)
        harness.stop()
        #expect(try passages(harness).isEmpty, "the window is still open at the stop")

        let restarted = try DaemonTests.Harness(folder: harness.folder) { configuration in
            TurnstileServiceTests.configure(&configuration)
            configuration.passages.windowSeconds = 30
        }
        restarted.daemon.loop?.execute {
            try? restarted.daemon.turnstiles?.pulse(turnstile: "main", line: .fireIn, duration: .milliseconds(80))
        }
        try waitFor { try passages(restarted).count == 1 }
        restarted.stop()
        #expect(try passages(restarted).map(\.outcome) == ["turned_a"])
    }
}
