import Foundation
import Testing

@testable import CatracaMQTT

@Suite struct MQTTUpstreamSettingsTests {
    @Test func theClientIdDefaultsToCatracaAndTheSite() throws {
        let settings = MQTTUpstreamSettings(site: "main", host: "broker.example")

        try settings.validate()
        #expect(settings.effectiveClientId == "catraca-main")
        #expect(settings.port == 1883)
        #expect(settings.topicPrefix == "catraca")
        #expect(settings.qos == 1)
    }

    @Test func topicsArePerSiteAndKind() {
        #expect(MQTTTopic.name(prefix: "catraca", site: "main", kind: "record") == "catraca/main/records")
        #expect(MQTTTopic.name(prefix: "acme/catraca", site: "north", kind: "passage") == "acme/catraca/north/passages")
        #expect(MQTTTopic.name(prefix: "catraca", site: "main", kind: "re/cord") == nil)
        #expect(MQTTTopic.name(prefix: "catraca", site: "main", kind: "") == nil)
    }

    @Test(arguments: ["", "a/b", "main+", "#"])
    func aSiteThatIsNotOneTopicLevelIsRefusedNamingTheSetting(site: String) {
        let settings = MQTTUpstreamSettings(site: site, host: "broker.example")

        #expect(throws: MQTTSettingsError.self) { try settings.validate() }
        do {
            try settings.validate()
        } catch let error as MQTTSettingsError {
            #expect(error.setting == "site")
            #expect(error.description.hasPrefix("upstream.mqtt.site "))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aPrefixWithAWildcardOrAnEmptyLevelIsRefused() {
        for prefix in ["catraca/#", "catraca//x", ""] {
            let settings = MQTTUpstreamSettings(site: "main", host: "h", topicPrefix: prefix)
            #expect(throws: MQTTSettingsError(setting: "topicPrefix", problem: settingProblem(prefix))) {
                try settings.validate()
            }
        }
    }

    private func settingProblem(_ prefix: String) -> String {
        let levels = prefix.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        return levels.compactMap { MQTTTopic.problem(inLevel: $0) }.first!
    }

    @Test func keepaliveOutsideFiveTo65535IsRefused() {
        var settings = MQTTUpstreamSettings(site: "main", host: "h")
        settings.keepaliveSeconds = 4

        #expect(throws: MQTTSettingsError.self) { try settings.validate() }
    }

    @Test func aPasswordWithoutAUsernameIsRefused() {
        var settings = MQTTUpstreamSettings(site: "main", host: "h")
        settings.password = "secret"

        #expect(throws: MQTTSettingsError(setting: "password", problem: "is set without a username; set both")) {
            try settings.validate()
        }
    }

    @Test func aMissingCAFileIsRefusedNamingThePath() {
        let settings = MQTTUpstreamSettings(
            site: "main", host: "h", tls: MQTTTLSSettings(caFile: "/nonexistent/ca.pem"))

        do {
            try settings.validate()
            Issue.record("a missing CA file must be refused")
        } catch let error as MQTTSettingsError {
            #expect(error.setting == "tls.caFile")
            #expect(error.problem.contains("/nonexistent/ca.pem"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aClientCertificateWithoutItsKeyIsRefused() throws {
        let ca = NSTemporaryDirectory() + "catraca-mqtt-ca-\(getpid()).pem"
        try "not checked here".write(toFile: ca, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: ca) }
        let settings = MQTTUpstreamSettings(site: "main", host: "h", tls: MQTTTLSSettings(caFile: ca, certFile: ca))

        #expect(throws: MQTTSettingsError.self) { try settings.validate() }
    }

    @Test func theTransportRefusesInvalidSettingsBeforeConnecting() {
        let settings = MQTTUpstreamSettings(site: "a/b", host: "127.0.0.1")

        #expect(throws: MQTTSettingsError.self) {
            _ = try MQTTUpstream(settings: settings, logger: testLogger())
        }
    }
}

@Suite struct MQTTUpstreamSettingsDescriptionTests {
    @Test func theDescriptionNeverShowsThePassword() {
        let settings = MQTTUpstreamSettings(site: "main", host: "broker.example", username: "cabinet",
                                            password: "s3cret-word")

        #expect(!settings.description.contains("s3cret-word"))
        #expect(settings.description.contains("username=cabinet password=(set)"))
        #expect(settings.description.contains("catraca/main/<kind>s"))
    }
}
