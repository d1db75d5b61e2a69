import CatracaCore

extension WebSocketConnection {
    /// When `tick` must be called next, or nil when no timer runs (not started, or over).
    public var nextDeadline: Instant? {
        switch phase {
        case .notStarted, .terminated:
            return nil
        case .awaitingRequest, .awaitingResponse:
            return handshakeStartedAt + configuration.handshakeTimeout
        case .open:
            if let closeSentAt { return closeSentAt + configuration.closeTimeout }
            return [pingDue, deadPeerDue, messageDue].compactMap { $0 }.min()
        }
    }

    /// Runs the timers that are due at `now`: handshake, close, dead peer, message timeout, idle ping.
    public mutating func tick(now: Instant) -> [WebSocketEvent] {
        latestNow = max(latestNow, now)
        var events: [WebSocketEvent] = []

        switch phase {
        case .notStarted, .terminated:
            break
        case .awaitingRequest:
            if now >= handshakeStartedAt + configuration.handshakeTimeout { expireServerHandshake(events: &events) }
        case .awaitingResponse:
            if now >= handshakeStartedAt + configuration.handshakeTimeout {
                terminate(.closed(code: CloseCode.abnormal,
                                  reason: "server did not answer the upgrade within \(configuration.handshakeTimeout)"),
                          events: &events)
            }
        case .open:
            runOpenTimers(now: now, events: &events)
        }
        return events
    }

    private var pingDue: Instant? {
        max(lastReceivedAt, lastPingSentAt ?? lastReceivedAt) + configuration.pingInterval
    }

    private var deadPeerDue: Instant? {
        lastReceivedAt + configuration.deadPeerTimeout
    }

    private var messageDue: Instant? {
        messageStartedAt.map { $0 + configuration.messageTimeout }
    }

    private mutating func expireServerHandshake(events: inout [WebSocketEvent]) {
        let reason = "upgrade request not complete within \(configuration.handshakeTimeout)"
        let response = Handshake.refusalResponse(HandshakeRefusal(status: 408, reason: reason))
        output.append(contentsOf: response.serialized())
        terminate(.rejected(status: 408, reason: reason), events: &events)
    }

    private mutating func runOpenTimers(now: Instant, events: inout [WebSocketEvent]) {
        if let closeSentAt {
            if now >= closeSentAt + configuration.closeTimeout {
                terminate(.closed(code: CloseCode.abnormal,
                                  reason: "peer did not answer our close within \(configuration.closeTimeout)"),
                          events: &events)
            }
            return
        }
        if let due = deadPeerDue, now >= due {
            terminate(.closed(code: CloseCode.abnormal, reason: "peer stopped responding"), events: &events)
            return
        }
        if let due = messageDue, now >= due {
            fail(code: CloseCode.policyViolation,
                 reason: "message not completed within \(configuration.messageTimeout)", events: &events)
            return
        }
        if let due = pingDue, now >= due {
            writeFrame(opcode: .ping, payload: [])
            lastPingSentAt = now
        }
    }
}
