import CatracaCore

extension WebSocketConnection {
    /// Whether messages may still be sent: the handshake is done and no close frame has gone out.
    public var canSend: Bool {
        guard case .open = phase else { return false }
        return closeSentAt == nil
    }

    /// Queues a text message. `utf8` must be valid UTF-8; it is not checked here.
    /// Ignored once the connection is closing or over.
    public mutating func sendText(_ utf8: [UInt8]) {
        if canSend { writeFrame(opcode: .text, payload: utf8) }
    }

    /// Queues a binary message. Ignored once the connection is closing or over.
    public mutating func sendBinary(_ bytes: [UInt8]) {
        if canSend { writeFrame(opcode: .binary, payload: bytes) }
    }

    /// Queues a ping; `payload` is cut to the 125 bytes a control frame may carry.
    public mutating func sendPing(_ payload: [UInt8] = []) {
        if canSend { writeFrame(opcode: .ping, payload: Array(payload.prefix(125))) }
    }

    /// Starts the closing handshake: queues a close frame and waits up to `closeTimeout` for the peer's.
    /// Data that arrives meanwhile is dropped. `reason` is cut to fit the 123 bytes left after the code.
    public mutating func close(code: UInt16 = CloseCode.normal, reason: String = "", now: Instant) {
        latestNow = max(latestNow, now)
        close(code: code, reason: reason)
    }

    /// Like `close(code:reason:now:)`, timing the close from the last `receive` or `tick`.
    /// That time may be a little in the past, which only shortens the wait for the peer's close.
    public mutating func close(code: UInt16 = CloseCode.normal, reason: String = "") {
        guard canSend else { return }
        writeCloseFrame(code: code, reason: reason)
    }

    /// Queues a close frame and records when, for the close timer.
    mutating func writeCloseFrame(code: UInt16, reason: String) {
        var payload = [UInt8(code >> 8), UInt8(truncatingIfNeeded: code)]
        payload.append(contentsOf: Self.truncatedUTF8(reason, maxBytes: 123))
        writeFrame(opcode: .close, payload: payload)
        closeSentAt = latestNow

        // Data arriving from now on is dropped, so a message in progress will never be delivered.
        message = []
        messageOpcode = nil
        messageStartedAt = nil
        if var current = frame, !current.opcode.isControl {
            current.discarded = true
            frame = current
        }
    }

    /// Appends one unfragmented frame to the output; a client masks it with a fresh random key.
    mutating func writeFrame(opcode: Opcode, payload: [UInt8]) {
        let key: MaskingKey? = role == .client ? MaskingKey.random() : nil
        // Reserving exactly on every call would reallocate for each small frame; only size an empty buffer.
        if output.isEmpty { output.reserveCapacity(FrameHeader.maximumSize + payload.count) }
        FrameHeader.write(fin: true, opcode: opcode, payloadLength: payload.count, maskingKey: key, into: &output)
        let start = output.count
        output.append(contentsOf: payload)
        key?.apply(to: &output, range: start..<output.count, offset: 0)
    }

    /// The longest prefix of `text` within `maxBytes` that does not cut a character.
    static func truncatedUTF8(_ text: String, maxBytes: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for character in text {
            let encoded = Array(character.utf8)
            if bytes.count + encoded.count > maxBytes { break }
            bytes.append(contentsOf: encoded)
        }
        return bytes
    }
}
