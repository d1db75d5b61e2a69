import CMosquitto

/// What one published message's outcome means for its batch: accepted, worth another try, or never
/// going to be accepted as it is (the batch is parked for an operator).
enum MessageVerdict: Equatable {
    case accepted
    case retry(String)
    case park(String)

    /// The verdict on a PUBACK's MQTT 5 reason code. Codes below 0x80 are successes, including 0x10
    /// (no matching subscribers: the broker took the message; whether anyone reads it is the site's
    /// configuration). Refusals that another attempt cannot change park the batch; the others retry.
    static func forAcknowledgement(reasonCode: Int32, entryID: Int64, topic: String) -> MessageVerdict {
        if reasonCode < 0x80 { return .accepted }
        let refusal = "the broker refused entry \(entryID) on \(topic): \(reasonText(reasonCode))"
            + " (PUBACK reason 0x\(String(reasonCode, radix: 16)))"
        switch reasonCode {
        case Int32(MQTT_RC_NOT_AUTHORIZED.rawValue):
            return .park(refusal + "; allow this client to publish to the topic in the broker's ACL")
        case Int32(MQTT_RC_TOPIC_NAME_INVALID.rawValue), Int32(MQTT_RC_PACKET_TOO_LARGE.rawValue),
            Int32(MQTT_RC_PAYLOAD_FORMAT_INVALID.rawValue):
            return .park(refusal)
        default:
            return .retry(refusal)
        }
    }

    /// The verdict on a `mosquitto_publish_v5` call that did not queue the message.
    static func forPublishFailure(code: Int32, entryID: Int64, topic: String, payloadBytes: Int) -> MessageVerdict {
        let failure = "entry \(entryID) could not be published on \(topic): \(MosquittoError.text(for: code))"
        switch code {
        case Int32(MOSQ_ERR_OVERSIZE_PACKET.rawValue), Int32(MOSQ_ERR_PAYLOAD_SIZE.rawValue):
            return .park("entry \(entryID) (\(payloadBytes) bytes) is larger than the broker accepts on \(topic);"
                + " raise the broker's max_packet_size or leave photos out of the outbox")
        case Int32(MOSQ_ERR_QOS_NOT_SUPPORTED.rawValue):
            return .park(failure + "; the broker must accept QoS 1")
        case Int32(MOSQ_ERR_MALFORMED_UTF8.rawValue), Int32(MOSQ_ERR_INVAL.rawValue):
            return .park(failure)
        default:
            return .retry(failure)
        }
    }

    static func reasonText(_ code: Int32) -> String {
        mosquitto_reason_string(code).map { String(cString: $0) } ?? "unknown reason"
    }
}
