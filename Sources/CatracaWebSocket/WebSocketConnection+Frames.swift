import CatracaCore

extension WebSocketConnection {
    /// Decodes frames from `bytes` in place, keeping only what a frame or message still needs.
    mutating func decodeFrames(_ bytes: UnsafeRawBufferPointer, now: Instant, events: inout [WebSocketEvent]) {
        var index = 0
        while !isTerminated {
            if frame == nil {
                guard let header = readHeader(bytes, index: &index) else { return }
                guard beginFrame(header, now: now, events: &events) else { return }
            }
            guard let current = frame else { return }

            let take = min(current.remaining, bytes.count - index)
            if take > 0 {
                readPayload(UnsafeRawBufferPointer(rebasing: bytes[index..<index + take]), events: &events)
                index += take
            }
            if isTerminated { return }
            if let current = frame, current.remaining == 0 {
                finishFrame(events: &events)
            } else {
                return
            }
        }
    }

    /// Parses the next header, straight from `bytes` when it is whole there, otherwise byte by byte
    /// into `partialHeader` so that a header split across reads is never rescanned from scratch.
    private mutating func readHeader(_ bytes: UnsafeRawBufferPointer, index: inout Int) -> FrameHeader? {
        if partialHeader.isEmpty {
            if let (header, size) = FrameHeader.parse(UnsafeRawBufferPointer(rebasing: bytes[index...])) {
                index += size
                return header
            }
        }
        while index < bytes.count {
            partialHeader.append(bytes[index])
            index += 1
            if let (header, _) = partialHeader.withUnsafeBytes({ FrameHeader.parse($0) }) {
                partialHeader = []
                return header
            }
        }
        return nil
    }

    /// Checks a header against RFC 6455 sections 5.2-5.5 and this connection's state, and starts the frame.
    /// Returns false when the connection was failed.
    private mutating func beginFrame(_ header: FrameHeader, now: Instant, events: inout [WebSocketEvent]) -> Bool {
        if let problem = protocolViolation(in: header) {
            fail(code: CloseCode.protocolError, reason: problem, events: &events)
            return false
        }
        guard let opcode = Opcode(rawValue: header.opcodeValue) else { return false }
        let length = Int(header.payloadLength)

        var started = FrameInProgress(opcode: opcode, fin: header.fin, length: length, maskingKey: header.maskingKey)
        if !opcode.isControl {
            if closeSentAt != nil {
                started.discarded = true
            } else if !beginMessagePart(opcode: opcode, length: length, now: now, events: &events) {
                return false
            }
        }
        frame = started
        return true
    }

    /// Why the header breaks the protocol, or nil.
    private func protocolViolation(in header: FrameHeader) -> String? {
        if header.reservedBits != 0 { return "reserved bits set without a negotiated extension" }
        guard let opcode = Opcode(rawValue: header.opcodeValue) else {
            return "reserved opcode \(header.opcodeValue)"
        }
        if opcode.isControl && !header.fin { return "fragmented control frame" }
        if opcode.isControl && header.payloadLength > 125 { return "control frame payload over 125 bytes" }
        if header.payloadLength > UInt64(Int64.max) { return "64-bit payload length with the high bit set" }
        switch role {
        case .server where header.maskingKey == nil: return "client frame not masked"
        case .client where header.maskingKey != nil: return "server frame masked"
        default: break
        }
        if closeSentAt == nil && !opcode.isControl {
            if opcode == .continuation && messageOpcode == nil { return "continuation frame without a message" }
            if opcode != .continuation && messageOpcode != nil { return "new message before the previous one ended" }
        }
        return nil
    }

    /// Accounts a data frame to its message, starting the message on its first frame.
    /// Returns false when the message would exceed the size limit and the connection was failed.
    private mutating func beginMessagePart(opcode: Opcode, length: Int, now: Instant,
                                           events: inout [WebSocketEvent]) -> Bool {
        guard length <= configuration.maxMessageSize - message.count else {
            fail(code: CloseCode.messageTooBig,
                 reason: "message exceeds \(configuration.maxMessageSize) bytes", events: &events)
            return false
        }
        if opcode != .continuation {
            messageOpcode = opcode
            messageStartedAt = now
            textValidator = UTF8Validator()
            // Reserve what the first frame announces, but not more than 1 MiB before the bytes have arrived:
            // a peer that announces a huge frame and then stalls must not pin that much memory.
            message.reserveCapacity(min(length, 1 << 20))
        }
        return true
    }

    /// Takes payload bytes of the current frame, unmasking them and validating text as they come.
    private mutating func readPayload(_ chunk: UnsafeRawBufferPointer, events: inout [WebSocketEvent]) {
        guard var current = frame else { return }
        defer {
            current.received += chunk.count
            if !isTerminated { frame = current }
        }
        if current.discarded { return }

        if current.opcode.isControl {
            let start = control.count
            control.append(contentsOf: chunk.assumingMemoryBound(to: UInt8.self))
            current.maskingKey?.apply(to: &control, range: start..<control.count, offset: current.received)
            return
        }

        let start = message.count
        message.append(contentsOf: chunk.assumingMemoryBound(to: UInt8.self))
        current.maskingKey?.apply(to: &message, range: start..<message.count, offset: current.received)
        if messageOpcode == .text {
            let valid = message.withUnsafeBytes { buffer in
                textValidator.validate(UnsafeRawBufferPointer(rebasing: buffer[start...]))
            }
            if !valid {
                fail(code: CloseCode.invalidPayload, reason: "text message is not valid UTF-8", events: &events)
            }
        }
    }

    /// Acts on a frame whose payload is complete.
    private mutating func finishFrame(events: inout [WebSocketEvent]) {
        guard let finished = frame else { return }
        frame = nil
        if finished.discarded { return }

        switch finished.opcode {
        case .ping: answerPing(events: &events)
        case .pong: control = []
        case .close: readClose(events: &events)
        case .text, .binary, .continuation: if finished.fin { deliverMessage(events: &events) }
        }
    }

    private mutating func answerPing(events: inout [WebSocketEvent]) {
        let payload = control
        control = []
        // After our close, RFC 6455 section 5.5.1 lets us stop answering: the connection is going away.
        if closeSentAt == nil { writeFrame(opcode: .pong, payload: payload) }
    }

    /// Hands the assembled message up and lets go of its buffer, so a large message does not stay allocated.
    private mutating func deliverMessage(events: inout [WebSocketEvent]) {
        if messageOpcode == .text && !textValidator.isComplete {
            fail(code: CloseCode.invalidPayload, reason: "text message ends inside a UTF-8 sequence", events: &events)
            return
        }
        let completed = message
        message = []
        events.append(messageOpcode == .text ? .text(completed) : .binary(completed))
        messageOpcode = nil
        messageStartedAt = nil
    }

    /// Handles the peer's close frame (RFC 6455 sections 5.5.1 and 7.4): answers it unless we started
    /// the close, then ends the connection. Nothing after it is read.
    private mutating func readClose(events: inout [WebSocketEvent]) {
        let payload = control
        control = []
        if payload.count == 1 {
            fail(code: CloseCode.protocolError, reason: "close frame with a 1-byte payload", events: &events)
            return
        }

        var code = CloseCode.noStatusReceived
        var reason = ""
        if payload.count >= 2 {
            code = UInt16(payload[0]) << 8 | UInt16(payload[1])
            guard CloseCode.isValidOnTheWire(code) else {
                fail(code: CloseCode.protocolError, reason: "invalid close code \(code)", events: &events)
                return
            }
            var validator = UTF8Validator()
            let reasonBytes = Array(payload[2...])
            guard validator.validate(reasonBytes), validator.isComplete else {
                fail(code: CloseCode.invalidPayload, reason: "close reason is not valid UTF-8", events: &events)
                return
            }
            reason = String(decoding: reasonBytes, as: UTF8.self)
        }

        if closeSentAt == nil {
            writeCloseFrame(code: code == CloseCode.noStatusReceived ? CloseCode.normal : code, reason: "")
        }
        terminate(.closed(code: code, reason: reason), events: &events)
    }
}
