import Foundation
import Testing
@testable import CatracaDaemon

@Suite struct IntercomConfigurationTests {
    @Test func theIntercomSectionIsRead() throws {
        let text = #"""
            { intercom: { listen: "127.0.0.1:7794", ringTimeoutSeconds: 20, defaultPhones: [1001],
                          phones: { "1001": { secret: "0123456789", enrollid: 7, apartment: 101, name: "Ana" } },
                          stun: "stun:10.0.0.1:3478",
                          turn: { url: "turn:10.0.0.1:3478", sharedSecret: "coturn", ttlSeconds: 3600 },
                          enableOnRegistration: { inputmode: 3, monitor: false } } }
            """#
        let configuration = try ConfigurationFile.parse(Data(text.utf8), source: "test.json5")
        try configuration.validate(source: "test.json5")

        let intercom = configuration.intercom
        #expect(intercom.listen == "127.0.0.1:7794")
        #expect(intercom.defaultPhones == ["1001"])
        #expect(intercom.phones["1001"]?.apartment == "101")
        #expect(intercom.phones["1001"]?.enrollid == 7)
        #expect(intercom.turn?.sharedSecret == "coturn")
        #expect(intercom.enableOnRegistration == Configuration.EnableWebRTC(intercom: true, monitor: false,
                                                                            inputmode: 3))
        #expect(configuration.iceSettings.expires)
    }

    @Test(arguments: [
        (#"{ intercom: { listen: "anywhere" } }"#, "intercom.listen"),
        (#"{ intercom: { phones: { "1": { secret: "short" } } } }"#, "intercom.phones.1.secret"),
        (#"{ intercom: { defaultPhones: ["9"] } }"#, "intercom.defaultPhones"),
        (#"{ intercom: { turn: { url: "http://x" } } }"#, "intercom.turn.url"),
        (#"{ intercom: { turn: { url: "turn:x:3478", ttlSeconds: 60 } } }"#, "intercom.turn.ttlSeconds"),
        (#"{ intercom: { ringTimeoutSeconds: 0 } }"#, "intercom.ringTimeoutSeconds"),
        (#"{ intercom: { enableOnRegistration: { inputmode: 9 } } }"#, "intercom.enableOnRegistration.inputmode"),
        (#"{ intercom: { phones: { "1": { secret: "0123456789", pin: 1 } } } }"#, "intercom.phones.1.pin"),
    ])
    func aWrongIntercomKeyIsNamed(text: String, key: String) {
        #expect {
            let configuration = try ConfigurationFile.parse(Data(text.utf8), source: "test.json5")
            try configuration.validate(source: "test.json5")
        } throws: { error in
            (error as? ConfigurationError)?.key == key
        }
    }
}
