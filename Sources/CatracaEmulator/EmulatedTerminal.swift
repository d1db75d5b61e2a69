import CatracaCore
import CatracaHTTP
import CatracaJSON
import CatracaServer
import Foundation

/// A terminal that speaks the protocol over a real socket the way the firmwares do: it registers,
/// pushes its records in batches, waits for each acknowledgement, resends what was not acknowledged
/// and reconnects when the connection drops. While connected it answers the server's commands through
/// its `responder` (section 2 of the protocol), between and around its own `sendlog` exchanges.
///
/// Runs on an event loop; `onFinish` is called once, on the loop, when every record is acknowledged
/// (unless `settings.serve`) or the server refused the terminal.
public final class EmulatedTerminal: WebSocketHandler {
    public let serialNumber: String
    public private(set) var report: EmulatorReport
    /// The terminal's state and its answers to commands; read and change it on the loop only.
    public let responder: TerminalCommandResponder

    private let settings: EmulatorSettings
    private let loop: EventLoop
    private let client: WebSocketClient
    private let generator: RecordGenerator
    private let onFinish: (EmulatedTerminal) -> Void
    private var channel: WebSocketChannel?
    private var phase = Phase.disconnected
    /// Index of the first record not yet acknowledged.
    private var nextRecord = 0
    private var batchesAcknowledged = 0
    private var droppedOnce = false
    private var ackTimer: TimerHandle?
    private var sentAt = Instant.zero
    private var inFlight: Range<Int>?
    /// The batch last sent again on purpose, so that its own acknowledgement does not send it once more.
    private var lastResent: Range<Int>?
    /// When the last paced batch was due.
    private var slot: Instant?
    private var stopped = false
    private let stateFile: StateFileWriter?
    private var stateFileFailed = false
    /// `logindex` of records pushed by quirk `sendlog-before-reply` and not yet acknowledged.
    private var pendingPushes: Set<Int> = []
    private var enrolmentTimer: TimerHandle?

    private enum Phase {
        case disconnected, connecting, registering, sending, idle, finished
    }

    /// - Parameter stateFile: where to write the state after every command (nil: nowhere).
    public init(serialNumber: String, settings: EmulatorSettings, loop: EventLoop, client: WebSocketClient,
                stateFile: String? = nil, onFinish: @escaping (EmulatedTerminal) -> Void) {
        self.serialNumber = serialNumber
        self.settings = settings
        self.loop = loop
        self.client = client
        self.onFinish = onFinish
        self.generator = RecordGenerator(firstTime: settings.firstRecordTime, photoBytes: settings.photoBytes)
        self.report = EmulatorReport(serialNumber: serialNumber)
        self.stateFile = stateFile.map(StateFileWriter.init(path:))
        var state = TerminalState()
        settings.seed.apply(to: &state)
        self.responder = TerminalCommandResponder(
            serialNumber: serialNumber, state: state,
            quirks: settings.quirksBySerialNumber[serialNumber] ?? settings.quirks,
            pageSizes: settings.pageSizes, options: settings.responderOptions)
    }

    /// Writes the first state file, connects and starts. Call on the loop.
    public func start() {
        writeState()
        connect()
    }

    /// Closes the connection normally and stops reconnecting. Call on the loop.
    public func stop() {
        stopped = true
        cancelAckTimer()
        if let enrolmentTimer { loop.cancelTimer(enrolmentTimer) }
        channel?.close(code: 1000, reason: "emulator stopping")
    }

    // MARK: Connection

    private func connect() {
        guard !stopped, phase != .finished else { return }
        phase = .connecting
        client.connect(to: settings.server, path: settings.path, handler: self) { [weak self] error in
            self?.connectionLost("cannot connect: \(error)")
        }
    }

    public func channelDidOpen(_ channel: WebSocketChannel, request: HTTPRequestHead) {
        self.channel = channel
        phase = .registering
        send(["cmd": "reg", "sn": .string(serialNumber), "devinfo": EmulatedTerminal.devinfo])
    }

    public func channelDidClose(_ channel: WebSocketChannel, code: UInt16, reason: String) {
        guard self.channel === channel || self.channel == nil else { return }
        self.channel = nil
        connectionLost("closed code=\(code) reason=\(reason)")
    }

    public func channel(_ channel: WebSocketChannel, didReceiveBinary bytes: [UInt8]) {
        report.problems.append("unexpected binary message of \(bytes.count) bytes")
    }

    private func connectionLost(_ reason: String) {
        report.lastDisconnect = reason
        cancelAckTimer()
        inFlight = nil
        pendingPushes = []
        guard !stopped, phase != .finished else { return }
        phase = .disconnected
        report.reconnects += 1
        loop.scheduleTimer(at: loop.timeSource.now + settings.reconnectDelay) { [weak self] in self?.connect() }
    }

    // MARK: Messages

    public func channel(_ channel: WebSocketChannel, didReceiveText text: [UInt8]) {
        guard let message = try? JSONReader().parse(text) else {
            report.problems.append("unreadable message: \(String(decoding: text.prefix(200), as: UTF8.self))")
            return
        }
        if message["cmd"]?.string != nil && message["ret"] == nil {
            commandArrived(message, on: channel)
            return
        }
        guard let ret = message["ret"]?.string else {
            let start = String(decoding: text.prefix(200), as: UTF8.self)
            report.problems.append("message with neither cmd nor ret: \(start)")
            return
        }
        let reply = message
        switch ret {
        case "reg": registrationAnswered(reply)
        case "sendlog": acknowledgementArrived(reply)
        default: report.problems.append("unexpected ret \(ret)")
        }
    }

    private func registrationAnswered(_ reply: JSONValue) {
        guard reply["result"]?.bool == true else {
            report.refusedReason = reply["reason"]?.string ?? "refused without a reason"
            finish()
            return
        }
        if reply["cloudtime"]?.string == nil { report.problems.append("reg reply without cloudtime") }
        let firstRegistration = !report.registered
        report.registered = true
        if firstRegistration && settings.batchInterval > .zero {
            // Paced terminals start at random points of their interval, as independent devices would,
            // instead of all sending in the same instant.
            let offset = TimeSpan(nanoseconds: Int64.random(in: 0..<settings.batchInterval.nanoseconds))
            phase = .sending
            loop.scheduleTimer(at: loop.timeSource.now + offset) { [weak self] in self?.sendNextBatchIfConnected() }
            return
        }
        sendNextBatch()
    }

    private func acknowledgementArrived(_ reply: JSONValue) {
        if pushAcknowledged(reply) { return }
        guard let range = inFlight else {
            report.problems.append("acknowledgement with no batch in flight")
            return
        }
        guard reply["result"]?.bool == true else {
            report.problems.append("negative acknowledgement: \(reply["reason"]?.string ?? "no reason")")
            return
        }
        if reply["count"]?.int != range.count || reply["logindex"]?.int != range.lowerBound {
            report.problems.append("acknowledgement echoes count/logindex wrongly for records \(range)")
        }
        cancelAckTimer()
        inFlight = nil
        report.ackLatencies.append(loop.timeSource.now.since(sentAt))
        report.recordsAcknowledged = max(report.recordsAcknowledged, range.upperBound)
        nextRecord = max(nextRecord, range.upperBound)
        batchesAcknowledged += 1
        afterAcknowledgement(of: range)
    }

    /// Takes `reply` as the acknowledgement of a record pushed by `sendlog-before-reply` when its
    /// `logindex` is one of those and it does not also match the batch in flight (which wins).
    private func pushAcknowledged(_ reply: JSONValue) -> Bool {
        guard let index = reply["logindex"]?.int, pendingPushes.contains(index), reply["count"]?.int == 1,
              inFlight != index..<index + 1 else { return false }
        pendingPushes.remove(index)
        if reply["result"]?.bool == true {
            responder.pushAcknowledged(logIndex: index)
            writeState()
        }
        return true
    }

    private func afterAcknowledgement(of range: Range<Int>) {
        if let every = settings.resendEvery, batchesAcknowledged % every == 0, range.upperBound == nextRecord,
           nextRecord < settings.records, range != lastResent {
            // As if the acknowledgement had been lost: the same records go again, once.
            lastResent = range
            report.resends += 1
            sendBatch(range)
            return
        }
        if let after = settings.dropAfterBatches, !droppedOnce, batchesAcknowledged >= after {
            droppedOnce = true
            channel?.abort(reason: "emulated connection drop")
            return
        }
        // Paced from the previous batch's own slot, not from when it went out, so timer delays do not
        // accumulate and the offered rate is the one asked for.
        let due = (slot ?? sentAt) + settings.batchInterval
        slot = due
        if due > loop.timeSource.now {
            loop.scheduleTimer(at: due) { [weak self] in self?.sendNextBatchIfConnected() }
        } else {
            sendNextBatch()
        }
    }

    private func sendNextBatchIfConnected() {
        guard phase == .sending, channel != nil, inFlight == nil else { return }
        sendNextBatch()
    }

    private func sendNextBatch() {
        guard nextRecord < settings.records else {
            if settings.records == 0 || settings.serve {
                phase = .idle
            } else {
                finish()
            }
            return
        }
        phase = .sending
        sendBatch(nextRecord..<min(settings.records, nextRecord + settings.batchSize))
    }

    private func sendBatch(_ range: Range<Int>) {
        inFlight = range
        sentAt = loop.timeSource.now
        report.batchesSent += 1
        send([
            "cmd": "sendlog", "sn": .string(serialNumber), "count": .integer(range.count),
            "logindex": .integer(range.lowerBound), "record": .array(generator.records(range)),
        ])
        ackTimer = loop.scheduleTimer(at: sentAt + settings.ackTimeout) { [weak self] in self?.ackTimedOut() }
    }

    private func ackTimedOut() {
        ackTimer = nil
        report.resends += 1
        // Firmwares give up on the connection, reconnect and send the same records again.
        channel?.abort(reason: "no acknowledgement within \(settings.ackTimeout)")
    }

    // MARK: Commands

    private func commandArrived(_ command: JSONValue, on channel: WebSocketChannel) {
        report.commandsReceived += 1
        let response = responder.respond(to: command, at: loop.timeSource.wallClock)
        writeState()
        watchEnrolment()
        if response.restarts {
            // A rebooting terminal vanishes without a closing handshake, then connects and registers again.
            channel.abort(reason: "emulated reboot")
            return
        }
        guard !response.messages.isEmpty else { return }
        if response.delay > .zero {
            loop.scheduleTimer(at: loop.timeSource.now + response.delay) { [weak self, weak channel] in
                guard let self, let channel, self.channel === channel else { return }
                self.deliver(response.messages)
            }
        } else {
            deliver(response.messages)
        }
    }

    private func deliver(_ messages: [JSONValue]) {
        for message in messages {
            if message["cmd"]?.string == "sendlog", let index = message["logindex"]?.int { pendingPushes.insert(index) }
            send(message)
        }
    }

    /// Completes an enrolment in progress when its time comes, so the state file shows the new
    /// credential without waiting for the next command.
    private func watchEnrolment() {
        if let enrolmentTimer { loop.cancelTimer(enrolmentTimer) }
        enrolmentTimer = nil
        guard let enrolment = responder.state.enrolment else { return }
        let wait = TimeSpan.seconds(max(0, enrolment.completesAt.timeIntervalSince(loop.timeSource.wallClock)))
        enrolmentTimer = loop.scheduleTimer(at: loop.timeSource.now + wait + .milliseconds(10)) { [weak self] in
            guard let self else { return }
            self.enrolmentTimer = nil
            if self.responder.completeEnrolment(ifDueAt: self.loop.timeSource.wallClock) { self.writeState() }
        }
    }

    private func writeState() {
        guard let stateFile else { return }
        let snapshot = responder.state.snapshot(serialNumber: serialNumber, quirks: responder.quirks,
                                                now: loop.timeSource.wallClock)
        do {
            try stateFile.write(snapshot)
        } catch {
            guard !stateFileFailed else { return }
            stateFileFailed = true
            report.problems.append("\(error)")
        }
    }

    private func send(_ message: JSONValue) {
        channel?.sendText(JSONWriter().bytes(message))
    }

    private func cancelAckTimer() {
        if let ackTimer { loop.cancelTimer(ackTimer) }
        ackTimer = nil
    }

    private func finish() {
        guard phase != .finished else { return }
        phase = .finished
        cancelAckTimer()
        channel?.close(code: 1000, reason: "done")
        onFinish(self)
    }

    static let devinfo: JSONValue = [
        "modelname": "AiFace", "usersize": 5000, "facesize": 5000, "fpsize": 0, "cardsize": 5000,
        "logsize": 500000, "firmware": "catraca-emulator", "time": "2024-01-01 08:00:00",
    ]
}
