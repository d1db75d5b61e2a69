import CatracaCore
import CatracaEmulator
import CatracaGPIO
import CatracaServer
import CatracaStore
import CatracaTerminal
import CatracaTurnstile
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
        configuration.passages.grantMaxAgeSeconds = 0  // the emulator's records carry fixed 2024 times
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

    @Test func aTurnClosedAfterARestartKeepsTheTimeItHappened() throws {
        let harness = try DaemonTests.Harness { configuration in
            TurnstileServiceTests.configure(&configuration)
            configuration.passages.rotationGraceSeconds = 5
        }
        harness.daemon.loop?.execute {
            try? harness.daemon.turnstiles?.pulse(turnstile: "main", line: .fireIn, duration: .milliseconds(50))
        }
        Thread.sleep(forTimeInterval: 0.5)
        let turned = Date()
        harness.stop()
        #expect(try passages(harness).isEmpty, "the turn still waits for a late grant at the stop")

        Thread.sleep(forTimeInterval: 1.2)
        let restarted = try DaemonTests.Harness(folder: harness.folder) { configuration in
            TurnstileServiceTests.configure(&configuration)
            configuration.passages.rotationGraceSeconds = 0.3
        }
        let restartedAt = Date()
        try waitFor { try passages(restarted).count == 1 }
        restarted.stop()
        let passage = try #require(try passages(restarted).first)
        #expect(passage.outcome == "unauthorised_rotation")
        let turnedAt = try #require(passage.fellAt.flatMap(StoreTimestamp.parse))
        #expect(turnedAt < turned && turnedAt < restartedAt.addingTimeInterval(-1), "\(turnedAt) vs \(restartedAt)")
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

/// Records from far in the past (kept by a terminal through an outage) are stored but open no window.
@Suite struct GrantAgeTests {
    private let layout = try! TurnstileLayout(inDirections: ["main": .a],
                                             placements: ["GATE1": TerminalPlacement(turnstile: "main", side: .entry)])
    private let siteTime = SiteTime(identifier: "America/Sao_Paulo")!
    private let now = Date(timeIntervalSince1970: 1_703_350_170)  // 2023-12-23 13:49:30 in São Paulo

    private func record(at time: String) -> AccessRecord {
        AccessRecord(identity: RecordIdentity(sn: "GATE1", enrollid: 7, time: time, mode: 8, inOut: 0, event: 0))
    }

    @Test func aRecordFromNowIsAGrantAndOneFromDaysAgoOrTheFutureIsNot() {
        let classify = TurnstileService.grantTurnstile(layout: layout, siteTime: siteTime, maxAge: .seconds(300),
                                                       wallClock: { [now] in now })
        #expect(classify(record(at: "2023-12-23 13:49:30")) == "main")
        #expect(classify(record(at: "2023-12-23 13:45:00")) == "main")
        #expect(classify(record(at: "2023-12-20 13:49:30")) == nil)
        #expect(classify(record(at: "2023-12-23 13:40:00")) == nil)
        #expect(classify(record(at: "2023-12-23 14:00:00")) == nil)
    }

    @Test func withoutAMaximumAgeEveryTimeIsTaken() {
        let classify = TurnstileService.grantTurnstile(layout: layout, siteTime: siteTime, maxAge: nil,
                                                       wallClock: { [now] in now })
        #expect(classify(record(at: "2020-01-01 00:00:00")) == "main")
    }
}
