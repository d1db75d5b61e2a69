import CatracaCore
import CatracaIntercom
import CatracaJSON
import Foundation

/// A switchboard on a fake clock with two phones and a browser allowed, and helpers to read its effects.
final class SwitchboardHarness {
    let clock = ManualTimeSource()
    let logs = MemoryLogSink()
    let switchboard: IntercomSwitchboard

    static let settings = IntercomSettings(
        phones: [
            "1001": IntercomPhone(secret: "s1", enrollid: 7, apartment: "101", name: "Ana"),
            "1002": IntercomPhone(secret: "s2", enrollid: 8, apartment: "101", name: "Bruno"),
            "1003": IntercomPhone(secret: "s3", apartment: "202"),
        ],
        defaultPhones: ["1003"], ringTimeout: .seconds(30), browserToken: "api-token",
        ice: ICESettings(stunServer: "stun:127.0.0.1:3478"))

    init(settings: IntercomSettings = SwitchboardHarness.settings) {
        switchboard = IntercomSwitchboard(settings: settings, timeSource: clock,
                                          logger: Logger(label: "test", level: .trace, sink: logs))
    }

    func phone(_ connection: UInt64, _ message: JSONValue) -> [IntercomEffect] {
        switchboard.phoneMessage(connection: connection, text: JSONWriter().bytes(message))
    }

    func terminal(_ sn: String, _ message: JSONObject) -> [IntercomEffect] {
        let name = message["cmd"]?.string ?? message["ret"]?.string ?? ""
        return switchboard.terminalMessage(sn: sn, name: name, isReply: message["cmd"] == nil, body: message) ?? []
    }

    /// Registers phone `number` with its secret on `connection`.
    func register(_ connection: UInt64, _ number: String) {
        let secret = SwitchboardHarness.settings.phones[number]?.secret ?? "wrong"
        _ = phone(connection, ["cmd": "phonereg", "phonenum": .string(number), "secret": .string(secret)])
    }

    /// Terminal T1 connected, phones 1001 (connection 1) and 1002 (connection 2) registered, and T1 ringing
    /// apartment 101.
    func ringApartment() -> [IntercomEffect] {
        switchboard.terminalConnected(sn: "T1")
        register(1, "1001")
        register(2, "1002")
        return terminal("T1", ["cmd": "talkcall", "sn": "T1", "inputnum": "101", "inputmode": 3, "calltype": 0])
    }
}

/// The messages sent to `peer`, in order.
func sent(_ effects: [IntercomEffect], to peer: IntercomPeer) -> [JSONObject] {
    effects.compactMap { effect in
        guard case .send(let target, let message) = effect, target == peer else { return nil }
        return message
    }
}

/// The names (`cmd` or `ret`) of the messages sent to `peer`.
func names(_ effects: [IntercomEffect], to peer: IntercomPeer) -> [String] {
    sent(effects, to: peer).map { $0["cmd"]?.string ?? "ret:" + ($0["ret"]?.string ?? "?") }
}

func endings(_ effects: [IntercomEffect]) -> [CallSummary] {
    effects.compactMap { effect in
        guard case .ended(let summary) = effect else { return nil }
        return summary
    }
}

let terminalT1 = IntercomPeer.terminal(sn: "T1")
func phoneAt(_ connection: UInt64) -> IntercomPeer { .phone(connection: connection) }

let sampleOffer: JSONObject = ["cmd": "offer", "sn": "T1", "sessionid": "T1", "type": "offer",
                               "sdp": "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n",
                               "calltype": 0]
let sampleAnswer: JSONValue = ["cmd": "answer", "sessionid": "T1", "type": "answer",
                               "sdp": "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n",
                               "calltype": 0]
