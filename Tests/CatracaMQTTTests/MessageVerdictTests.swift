import CMosquitto
import Testing

@testable import CatracaMQTT

@Suite struct MessageVerdictTests {
    @Test(arguments: [0x87, 0x90, 0x95, 0x99])
    func refusalsAnotherAttemptCannotChangePark(code: Int32) {
        let verdict = MessageVerdict.forAcknowledgement(reasonCode: code, entryID: 5, topic: "catraca/main/records")

        guard case .park(let reason) = verdict else {
            Issue.record("expected .park for 0x\(String(code, radix: 16)), got \(verdict)")
            return
        }
        #expect(reason.contains("entry 5 on catraca/main/records"))
    }

    @Test(arguments: [0x80, 0x83, 0x97])
    func otherRefusalsRetry(code: Int32) {
        let verdict = MessageVerdict.forAcknowledgement(reasonCode: code, entryID: 5, topic: "t")

        if case .retry = verdict {} else { Issue.record("expected .retry, got \(verdict)") }
    }

    @Test func anOversizedPublishParksAndSaysWhatToChange() {
        let verdict = MessageVerdict.forPublishFailure(
            code: Int32(MOSQ_ERR_OVERSIZE_PACKET.rawValue), entryID: 9, topic: "t", payloadBytes: 123_456)

        guard case .park(let reason) = verdict else {
            Issue.record("expected .park, got \(verdict)")
            return
        }
        #expect(reason.contains("entry 9 (123456 bytes)"))
        #expect(reason.contains("max_packet_size"))
    }

    @Test func aPublishWithoutAConnectionRetries() {
        let verdict = MessageVerdict.forPublishFailure(
            code: Int32(MOSQ_ERR_NO_CONN.rawValue), entryID: 9, topic: "t", payloadBytes: 10)

        if case .retry = verdict {} else { Issue.record("expected .retry, got \(verdict)") }
    }
}
