import CatracaCore
import CatracaIntercom
import CatracaJSON
import CatracaServer
import CatracaStore
import CatracaTerminal
import CatracaWebSocket
import Foundation

/// The intercom in the daemon: the phones' port, the switchboard's effects carried out on the event loop, finished
/// calls stored, and `enablewebrtc` sent to terminals (on registration, and again before their TURN credentials
/// expire).
///
/// Signaling to a terminal is written to its connection at once, never through its command queue: a slow command
/// must not hold up a call.
final class IntercomService {
    let loop: EventLoop
    let logger: Logger
    let switchboard: IntercomSwitchboard
    private let writer: StoreWriter
    private let ice: ICESettings
    private let enableOnRegistration: Configuration.EnableWebRTC?
    unowned let gateway: TerminalGateway
    private var server: WebSocketServer?
    private var phones: [UInt64: WebSocketChannel] = [:]
    private var ringTimer: TimerHandle?
    private var ringTimerDeadline: Instant?
    /// Terminals holding TURN REST credentials this daemon handed out, and when those expire.
    private var credentialExpiry: [String: (fields: JSONObject, expiresAt: Date)] = [:]

    /// How often terminals' TURN credentials are checked for renewal.
    static let renewalCheckInterval = TimeSpan.seconds(60)

    init(loop: EventLoop, configuration: Configuration, apiToken: String, gateway: TerminalGateway,
         writer: StoreWriter, logger: Logger) {
        self.loop = loop
        self.logger = logger
        self.writer = writer
        self.gateway = gateway
        ice = configuration.iceSettings
        enableOnRegistration = configuration.intercom.enableOnRegistration
        switchboard = IntercomSwitchboard(settings: configuration.intercomSettings(apiToken: apiToken),
                                          timeSource: loop.timeSource, logger: logger)
        if ice.expires { scheduleRenewalCheck() }
    }

    /// Opens the phones' port; returns the address taken (the real port when asked for port 0).
    func listen(at address: SocketAddress, webSocket: WebSocketConfiguration,
                budgetBytes: Int) throws -> SocketAddress {
        let server = try WebSocketServer(loop: loop, address: address, configuration: webSocket,
                                         budgetBytes: budgetBytes, logger: logger) { [weak self] _ in
            self.map { PhoneConnection(intercom: $0) }
        }
        self.server = server
        logger.info("listening for phones", ["listen": server.localAddress.description])
        return server.localAddress
    }

    /// Ends every call on both sides and closes the phones' port.
    func stop() {
        perform(switchboard.endAll())
        server?.stopListening()
        server?.closeAll(code: 1001, reason: "server stopping")
    }

    // MARK: Phones

    func phoneOpened(_ channel: WebSocketChannel) {
        phones[channel.id] = channel
        logger.debug("phone connected", ["connection": "\(channel.id)", "peer": channel.peer.description])
        loop.scheduleTimer(at: loop.timeSource.now + IntercomService.registrationDeadline) { [weak self] in
            self?.closeIfUnregistered(channel)
        }
    }

    /// How long a new connection on the phones' port has to send `phonereg`.
    static let registrationDeadline = TimeSpan.seconds(10)

    private func closeIfUnregistered(_ channel: WebSocketChannel) {
        guard phones[channel.id] != nil, switchboard.identity(ofConnection: channel.id) == nil else { return }
        logger.info("phone connection closed: no phonereg in time", ["peer": channel.peer.description])
        channel.close(code: 1008, reason: "phonereg expected")
    }

    func phoneSent(_ text: [UInt8], on channel: WebSocketChannel) {
        perform(switchboard.phoneMessage(connection: channel.id, text: text))
    }

    func phoneClosed(_ channel: WebSocketChannel, code: UInt16, reason: String) {
        phones[channel.id] = nil
        logger.debug("phone disconnected", ["connection": "\(channel.id)", "code": "\(code)", "reason": reason])
        perform(switchboard.phoneDisconnected(connection: channel.id))
    }

    // MARK: Terminals

    /// A terminal registered; `byReg` when it sent `reg` (not only records), which is when it is enabled.
    func terminalRegistered(sn: String, byReg: Bool) {
        switchboard.terminalConnected(sn: sn)
        guard byReg, let enable = enableOnRegistration else { return }
        let fields: JSONObject = ["intercom": .bool(enable.intercom), "monitor": .bool(enable.monitor),
                                  "inputmode": .integer(enable.inputmode)]
        // After this message's own effects: the terminal hears its reg reply before the command.
        loop.execute { [weak self] in self?.sendEnableWebRTC(sn: sn, fields: fields, reason: "registration") }
    }

    func terminalDisconnected(sn: String) {
        perform(switchboard.terminalDisconnected(sn: sn))
    }

    /// Takes a terminal's intercom message; false when it is not one (it belongs to the command queue).
    func terminalSent(_ message: TerminalMessage, sn: String) -> Bool {
        guard let effects = switchboard.terminalMessage(sn: sn, name: message.name, isReply: message.kind == .reply,
                                                        body: message.body) else { return false }
        perform(effects)
        return true
    }

    /// `enablewebrtc` with the STUN and TURN settings the operator left out taken from the config (fresh TURN REST
    /// credentials named after the terminal).
    func completing(_ command: TerminalCommand, sn: String) -> TerminalCommand {
        var command = command
        let defaults = ice.fields(for: sn, now: loop.timeSource.wallClock)
        for member in defaults where command.fields[member.key] == nil {
            command.fields.append(key: member.key, value: member.value)
        }
        return command
    }

    /// A terminal accepted `enablewebrtc`; remember when the TURN REST credentials it got from here expire.
    func terminalEnabled(sn: String, command: TerminalCommand) {
        guard let username = command.fields["turnusername"]?.string,
              let expiry = ice.expiry(ofUsername: username, turnServer: command.fields["turnserver"]?.string) else {
            return
        }
        var kept = command.fields
        for key in ["stunserver", "turnserver", "turnusername", "turnpassword"] { kept[key] = nil }
        credentialExpiry[sn] = (fields: kept, expiresAt: expiry)
    }

    private func sendEnableWebRTC(sn: String, fields: JSONObject, reason: String) {
        let command = completing(TerminalCommand(name: "enablewebrtc", fields: fields, expectation: .reply), sn: sn)
        gateway.execute(command, sn: sn, replyTimeout: nil) { [logger] result in
            switch result {
            case .success(.replied(let reply)) where reply["result"]?.bool == false:
                logger.warning("terminal refused enablewebrtc", [
                    "sn": sn, "why": reason, "reason": (reply["reason"] ?? reply["reson"])?.string ?? "-",
                ])
            case .success:
                logger.info("terminal's WebRTC enabled", ["sn": sn, "why": reason])
            case .failure(let failure):
                logger.warning("enablewebrtc not sent", ["sn": sn, "why": reason, "error": failure.message])
            }
        }
    }

    private func scheduleRenewalCheck() {
        loop.scheduleTimer(at: loop.timeSource.now + IntercomService.renewalCheckInterval) { [weak self] in
            self?.renewExpiringCredentials()
            self?.scheduleRenewalCheck()
        }
    }

    /// Sends fresh credentials to connected terminals whose TURN REST credentials expire within a quarter of
    /// their lifetime.
    private func renewExpiringCredentials() {
        let now = loop.timeSource.wallClock
        let connected = Set(gateway.connectedSerialNumbers)
        for (sn, held) in credentialExpiry where ice.renewalDue(expiringAt: held.expiresAt, now: now)
            && connected.contains(sn) {
            credentialExpiry[sn] = nil
            sendEnableWebRTC(sn: sn, fields: held.fields, reason: "TURN credentials expiring")
        }
    }

    // MARK: Effects

    private func perform(_ effects: [IntercomEffect]) {
        for effect in effects {
            switch effect {
            case .send(.terminal(let sn), let message):
                if !gateway.sendIntercom(JSONWriter().bytes(.object(message)), sn: sn) {
                    logger.debug("intercom message not sent: terminal not connected", ["sn": sn])
                }
            case .send(.phone(let connection), let message):
                phones[connection]?.sendText(JSONWriter().bytes(.object(message)))
            case .close(let connection, let reason):
                phones[connection]?.close(code: 1008, reason: reason)
            case .ended(let summary):
                store(summary)
            }
        }
        rescheduleRingTimer()
    }

    private func store(_ summary: CallSummary) {
        let row = CallRow(kind: summary.kind.rawValue, sn: summary.sn, sessionID: summary.sessionID,
                          inputMode: summary.inputMode, inputNumber: summary.inputNumber, rang: summary.rang,
                          answeredBy: summary.answeredBy, startedAt: summary.startedAt, answeredAt: summary.answeredAt,
                          endedAt: summary.endedAt, durationSeconds: summary.durationSeconds,
                          talkSeconds: summary.talkSeconds, ending: summary.ending.rawValue)
        writer.submit(row) { [logger] result in
            if case .failure(let error) = result {
                logger.warning("call not stored", ["sn": row.sn, "ending": row.ending, "error": "\(error)"])
            }
        }
    }

    private func rescheduleRingTimer() {
        let deadline = switchboard.nextDeadline
        guard deadline != ringTimerDeadline else { return }
        if let ringTimer { loop.cancelTimer(ringTimer) }
        ringTimer = nil
        ringTimerDeadline = deadline
        guard let deadline else { return }
        ringTimer = loop.scheduleTimer(at: deadline) { [weak self] in
            guard let self else { return }
            ringTimer = nil
            ringTimerDeadline = nil
            perform(switchboard.tick())
        }
    }
}
