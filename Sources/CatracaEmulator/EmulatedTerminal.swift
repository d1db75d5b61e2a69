import CatracaCore
import CatracaHTTP
import CatracaJSON
import CatracaServer

/// A terminal that speaks the protocol over a real socket the way the firmwares do: it registers,
/// pushes its records in batches, waits for each acknowledgement, resends what was not acknowledged
/// and reconnects when the connection drops.
///
/// Runs on an event loop; `onFinish` is called once, on the loop, when every record is acknowledged
/// or the server refused the terminal.
public final class EmulatedTerminal: WebSocketHandler {
    public let serialNumber: String
    public private(set) var report: EmulatorReport

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

    private enum Phase {
        case disconnected, connecting, registering, sending, idle, finished
    }

    public init(serialNumber: String, settings: EmulatorSettings, loop: EventLoop, client: WebSocketClient,
                onFinish: @escaping (EmulatedTerminal) -> Void) {
        self.serialNumber = serialNumber
        self.settings = settings
        self.loop = loop
        self.client = client
        self.onFinish = onFinish
        self.generator = RecordGenerator(firstTime: settings.firstRecordTime, photoBytes: settings.photoBytes)
        self.report = EmulatorReport(serialNumber: serialNumber)
    }

    /// Connects and starts. Call on the loop.
    public func start() {
        connect()
    }

    /// Closes the connection normally and stops reconnecting. Call on the loop.
    public func stop() {
        stopped = true
        cancelAckTimer()
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
        guard !stopped, phase != .finished else { return }
        phase = .disconnected
        report.reconnects += 1
        loop.scheduleTimer(at: loop.timeSource.now + settings.reconnectDelay) { [weak self] in self?.connect() }
    }

    // MARK: Messages

    public func channel(_ channel: WebSocketChannel, didReceiveText text: [UInt8]) {
        guard let reply = try? JSONReader().parse(text), let ret = reply["ret"]?.string else {
            report.problems.append("unreadable message: \(String(decoding: text.prefix(200), as: UTF8.self))")
            return
        }
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
            if settings.records == 0 {
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
