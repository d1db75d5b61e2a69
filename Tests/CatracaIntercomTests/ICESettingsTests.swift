import CatracaIntercom
import CatracaWebSocket
import Foundation
import Testing

@Suite struct ICESettingsTests {
    /// RFC 2202, test cases 1 and 2.
    @Test func hmacSHA1MatchesRFC2202() {
        let first = HMACSHA1.authenticationCode(key: [UInt8](repeating: 0x0b, count: 20),
                                                message: Array("Hi There".utf8))
        #expect(hex(first) == "b617318655057264e28bc0b6fb378c8ef146be00")
        let second = HMACSHA1.authenticationCode(key: Array("Jefe".utf8),
                                                 message: Array("what do ya want for nothing?".utf8))
        #expect(hex(second) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    @Test func turnRESTCredentialsCarryTheExpiryAndTheName() {
        let ice = ICESettings(turnServer: "turn:127.0.0.1:3478", sharedSecret: "north", credentialLifetime: 3_600)
        let fields = ice.fields(for: "1001", now: Date(timeIntervalSince1970: 1_000_000))

        #expect(fields["turnusername"] == "1003600:1001")
        let expected = Data(HMACSHA1.authenticationCode(key: Array("north".utf8),
                                                        message: Array("1003600:1001".utf8))).base64EncodedString()
        #expect(fields["turnpassword"]?.string == expected)
        #expect(ice.expires)
    }

    @Test func credentialsHandedOutHereAreRenewedInTheLastQuarterOfTheirLifetime() throws {
        let ice = ICESettings(turnServer: "turn:127.0.0.1:3478", sharedSecret: "north", credentialLifetime: 4_000)
        let handedOut = Date(timeIntervalSince1970: 1_000_000)
        let username = try #require(ice.fields(for: "T1", now: handedOut)["turnusername"]?.string)

        let expiry = try #require(ice.expiry(ofUsername: username, turnServer: "turn:127.0.0.1:3478"))
        #expect(expiry == handedOut.addingTimeInterval(4_000))
        #expect(!ice.renewalDue(expiringAt: expiry, now: handedOut.addingTimeInterval(2_999)))
        #expect(ice.renewalDue(expiringAt: expiry, now: handedOut.addingTimeInterval(3_000)))
        #expect(ice.expiry(ofUsername: username, turnServer: "turn:elsewhere:3478") == nil)
        #expect(ice.expiry(ofUsername: "fixed-user", turnServer: "turn:127.0.0.1:3478") == nil)
    }

    @Test func fixedCredentialsAreHandedOutAsTheyAre() {
        let ice = ICESettings(stunServer: "stun:a:3478", turnServer: "turn:a:3478", turnUsername: "u",
                              turnPassword: "p")
        let fields = ice.fields(for: "1001", now: Date())

        #expect(fields["turnusername"] == "u")
        #expect(fields["turnpassword"] == "p")
        #expect(!ice.expires)
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
