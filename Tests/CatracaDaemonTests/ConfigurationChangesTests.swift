import CatracaCore
import Testing
@testable import CatracaDaemon

@Suite struct ConfigurationChangesTests {
    @Test func liveKeysAndRestartKeysAreToldApart() {
        let old = Configuration()
        var new = old
        new.log.level = .debug
        new.terminals.allowList = ["ABCD1234": Configuration.AllowedTerminal(address: nil)]
        new.commands.replyTimeoutSeconds = 5
        new.terminals.listen = "0.0.0.0:9000"
        new.store.path = "/elsewhere.db"

        let changes = ConfigurationChanges(from: old, to: new)
        #expect(changes.live == ["log.level", "terminals.allowList", "commands.replyTimeoutSeconds"])
        #expect(changes.needRestart == ["terminals.listen", "store.path"])
    }

    @Test func turnstilesAndPassagesNeedARestart() {
        var new = Configuration()
        new.turnstiles["main"]?.entry = ["ABCD1234"]
        new.passages.windowSeconds = 5

        let changes = ConfigurationChanges(from: Configuration(), to: new)
        #expect(changes.live.isEmpty)
        #expect(changes.needRestart == ["turnstiles", "passages"])
        #expect(ConfigurationChanges.applyingLive(new, to: Configuration()).turnstiles == Configuration().turnstiles)
    }

    @Test func applyingKeepsTheRunningValuesOfRestartKeys() {
        let old = Configuration()
        var new = old
        new.terminals.ackMessage = "ok"
        new.commands.onRegistration.pullNewLogs = true
        new.api.listen = "0.0.0.0:7793"

        let running = ConfigurationChanges.applyingLive(new, to: old)
        #expect(running.terminals.ackMessage == "ok")
        #expect(running.commands.onRegistration.pullNewLogs)
        #expect(running.api.listen == old.api.listen)
    }

    @Test func anIdenticalFileChangesNothing() {
        #expect(ConfigurationChanges(from: Configuration(), to: Configuration()).isEmpty)
    }
}

@Suite struct ConfigurationChangesOfLaterSectionsTests {
    @Test func turnstilesUpstreamAndPassagesNeedARestart() {
        let old = Configuration()
        var new = old
        new.turnstiles["main"]?.entry = ["GATE1"]
        new.passages.windowSeconds = 5
        new.upstream.keepDeliveredDays = 3
        let changes = ConfigurationChanges(from: old, to: new)
        #expect(changes.live.isEmpty)
        #expect(Set(changes.needRestart) == ["turnstiles", "passages", "upstream"])
    }
}
