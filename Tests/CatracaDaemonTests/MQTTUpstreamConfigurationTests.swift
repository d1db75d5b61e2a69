import CatracaMQTT
import Foundation
import Testing
@testable import CatracaDaemon

@Suite struct MQTTUpstreamConfigurationTests {
    @Test func everyKeyIsReadAndTheSiteNamesTheTopics() throws {
        let text = #"""
            { site: { name: "north-gate" },
              upstream: { mqtt: { host: "broker.lan", port: 8883, clientId: "box-7", topicPrefix: "acme/catraca",
                                  username: "catraca", password: "secret", keepaliveSeconds: 30,
                                  sessionExpirySeconds: 86400, reconnectDelayMinSeconds: 0.5,
                                  reconnectDelayMaxSeconds: 30, publishTimeoutSeconds: 20, batchSize: 200,
                                  tls: { caFile: "/etc/ssl/certs/ca.pem", certFile: "/etc/catraca/box.pem",
                                         keyFile: "/etc/catraca/box.key", insecure: true } } } }
            """#
        let configuration = try ConfigurationFile.parse(Data(text.utf8), source: "test.json5")
        let mqtt = try #require(configuration.upstream.mqtt)
        var expected = MQTTUpstreamSettings(
            site: "north-gate", host: "broker.lan", port: 8883, clientId: "box-7", topicPrefix: "acme/catraca",
            username: "catraca", password: "secret",
            tls: MQTTTLSSettings(caFile: "/etc/ssl/certs/ca.pem", certFile: "/etc/catraca/box.pem",
                                 keyFile: "/etc/catraca/box.key", insecure: true),
            keepaliveSeconds: 30, sessionExpirySeconds: 86_400, reconnectDelayMinSeconds: 0.5,
            reconnectDelayMaxSeconds: 30, publishTimeoutSeconds: 20)
        #expect(mqtt.broker == expected)
        #expect(mqtt.batchSize == 200)
        #expect(configuration.upstream.http == nil)

        expected.tls = nil
        #expect(mqtt.broker != expected, "TLS is part of the settings compared on reload")
    }

    @Test func httpAndMQTTCanBeConfiguredTogether() throws {
        let text = #"""
            { upstream: { http: { url: "http://127.0.0.1:8080/in" }, mqtt: { host: "127.0.0.1", port: 1883 } } }
            """#
        let configuration = try ConfigurationFile.parse(Data(text.utf8), source: "test.json5")
        #expect(configuration.upstream.http?.url == "http://127.0.0.1:8080/in")
        #expect(configuration.upstream.mqtt?.broker.host == "127.0.0.1")
        #expect(configuration.upstream.mqtt?.broker.site == Configuration().site.name)
        #expect(configuration.upstream.mqtt?.batchSize == 500)
        try configuration.validate(source: "test.json5")
    }

    @Test func nullMeansNoMQTTUpstream() throws {
        let configuration = try ConfigurationFile.parse(Data(#"{ upstream: { mqtt: null } }"#.utf8), source: "t")
        #expect(configuration.upstream.mqtt == nil)
    }

    @Test(arguments: [
        (#"{ upstream: { mqtt: {} } }"#, "upstream.mqtt.host"),
        (#"{ upstream: { mqtt: { host: "b", qos: 2 } } }"#, "upstream.mqtt.qos"),
        (#"{ upstream: { mqtt: { host: "b", port: 70000 } } }"#, "upstream.mqtt.port"),
        (#"{ upstream: { mqtt: { host: "b", port: "1883" } } }"#, "upstream.mqtt.port"),
        (#"{ upstream: { mqtt: { host: "b", sessionExpirySeconds: -1 } } }"#, "upstream.mqtt.sessionExpirySeconds"),
        (#"{ upstream: { mqtt: { host: "b", tls: {} } } }"#, "upstream.mqtt.tls.caFile"),
        (#"{ upstream: { mqtt: { host: "b", tls: { caFile: "x", verify: true } } } }"#, "upstream.mqtt.tls.verify"),
    ])
    func missingUnknownOrMistypedKeysAreNamed(text: String, key: String) {
        #expect {
            try ConfigurationFile.parse(Data(text.utf8), source: "test.json5")
        } throws: { error in
            (error as? ConfigurationError)?.key == key
        }
    }

    @Test(arguments: [
        ("upstream.mqtt.keepaliveSeconds", { @Sendable (m: inout Configuration.MQTTUpstreamConfiguration) in
            m.broker.keepaliveSeconds = 2
        }),
        ("upstream.mqtt.batchSize", { @Sendable (m: inout Configuration.MQTTUpstreamConfiguration) in
            m.batchSize = 0
        }),
        ("upstream.mqtt.topicPrefix", { @Sendable (m: inout Configuration.MQTTUpstreamConfiguration) in
            m.broker.topicPrefix = "catraca/#"
        }),
        ("upstream.mqtt.password", { @Sendable (m: inout Configuration.MQTTUpstreamConfiguration) in
            m.broker.password = "secret"
        }),
        ("upstream.mqtt.tls.caFile", { @Sendable (m: inout Configuration.MQTTUpstreamConfiguration) in
            m.broker.tls = MQTTTLSSettings(caFile: "/nonexistent/catraca-ca.pem")
        }),
        ("site.name", { @Sendable (m: inout Configuration.MQTTUpstreamConfiguration) in
            m.broker.site = "north/gate"
        }),
    ])
    func valuesThatCannotWorkAreRefusedAtStart(
        key: String, change: @Sendable (inout Configuration.MQTTUpstreamConfiguration) -> Void
    ) {
        var mqtt = Configuration.MQTTUpstreamConfiguration(broker: MQTTUpstreamSettings(site: "site", host: "b"))
        change(&mqtt)
        var configuration = Configuration()
        configuration.upstream.mqtt = mqtt
        #expect {
            try configuration.validate(source: "test.json5")
        } throws: { error in
            (error as? ConfigurationError)?.key == key
        }
    }

    @Test func aChangedBrokerNeedsARestartUnderItsOwnKey() {
        var old = Configuration()
        old.upstream.mqtt = Configuration.MQTTUpstreamConfiguration(
            broker: MQTTUpstreamSettings(site: "site", host: "broker-a"))
        var new = old
        new.upstream.mqtt?.broker.host = "broker-b"
        let changes = ConfigurationChanges(from: old, to: new)
        #expect(changes.live.isEmpty)
        #expect(changes.needRestart == ["upstream.mqtt"])

        new.upstream.mqtt = nil
        #expect(ConfigurationChanges(from: old, to: new).needRestart == ["upstream.mqtt"])
    }
}
