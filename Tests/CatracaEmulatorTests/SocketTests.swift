import CatracaCore
import CatracaEmulator
import CatracaHTTP
import CatracaJSON
import CatracaServer
import CatracaWebSocket
import Foundation
import Testing

/// A daemon stand-in on loopback: it accepts the registration, holds the first `sendlog`'s
/// acknowledgement while a command goes to the terminal, and acknowledges it once the reply came.
private final class CommandingServer: WebSocketHandler {
    let command: JSONValue
    var replies: [JSONValue] = []
    var acknowledged: [JSONValue] = []
    var registrations = 0
    private var held: JSONValue?
    private var commandSent = false

    init(command: JSONValue) {
        self.command = command
    }

    func channelDidOpen(_ channel: WebSocketChannel, request: HTTPRequestHead) {}
    func channel(_ channel: WebSocketChannel, didReceiveBinary bytes: [UInt8]) {}
    func channelDidClose(_ channel: WebSocketChannel, code: UInt16, reason: String) {}

    func channel(_ channel: WebSocketChannel, didReceiveText text: [UInt8]) {
        let message = try! JSONReader.parse(text)
        switch (message["cmd"]?.string, message["ret"]?.string) {
        case ("reg", _):
            registrations += 1
            send(["ret": "reg", "result": true, "cloudtime": "2024-01-10 12:00:00"], on: channel)
        case ("sendlog", _) where !commandSent:
            commandSent = true
            held = message
            send(command, on: channel)
        case ("sendlog", _):
            acknowledge(message, on: channel)
        case (command["cmd"]?.string, _), (_, .some):
            // A reply, tagged "ret" or (quirk cmd-replies) "cmd" with the command's own name.
            replies.append(message)
            if let held { acknowledge(held, on: channel) }
            held = nil
        default:
            break
        }
    }

    private func acknowledge(_ sendlog: JSONValue, on channel: WebSocketChannel) {
        let ack: JSONValue = ["ret": "sendlog", "result": true, "count": sendlog["count"]!,
                              "logindex": sendlog["logindex"]!, "cloudtime": "2024-01-10 12:00:00"]
        acknowledged.append(ack)
        send(ack, on: channel)
    }

    private func send(_ message: JSONValue, on channel: WebSocketChannel) {
        channel.sendText(JSONWriter().bytes(message))
    }
}

@Suite(.serialized) struct SocketTests {
    /// Runs one emulated terminal against `server` until it has pushed all its records.
    private func run(_ server: CommandingServer, quirks: Set<TerminalQuirk>, stateFile: String) throws
        -> EmulatedTerminal {
        let loop = try EventLoop()
        let logger = Logger(label: "test", level: .warning, sink: MemoryLogSink())
        let listener = try WebSocketServer(loop: loop, address: SocketAddress(host: "127.0.0.1", port: 0),
                                           configuration: WebSocketConfiguration(), budgetBytes: 1 << 24,
                                           logger: logger) { _ in server }
        var settings = EmulatorSettings(server: listener.localAddress)
        settings.records = 40
        settings.batchSize = 20
        settings.ackTimeout = .seconds(10)
        settings.seed = TerminalSeed(users: 3, logs: 0)
        settings.quirks = TerminalQuirks(quirks)
        let terminal = EmulatedTerminal(serialNumber: "SOCK1", settings: settings, loop: loop,
                                        client: WebSocketClient(loop: loop), stateFile: stateFile) { _ in
            loop.scheduleTimer(at: loop.timeSource.now + .milliseconds(50)) { loop.stop() }
        }
        loop.execute { terminal.start() }
        loop.scheduleTimer(at: loop.timeSource.now + .seconds(20)) { loop.stop() }
        loop.run()
        _ = listener
        return terminal
    }

    @Test func aCommandBetweenASendlogAndItsAcknowledgementIsAnsweredAndTheRecordsStillGetThrough() throws {
        let path = NSTemporaryDirectory() + "catraca-emulator-socket-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let server = CommandingServer(command: ["cmd": "opendoor", "doornum": 2])

        let terminal = try run(server, quirks: [], stateFile: path)

        #expect(terminal.report.recordsAcknowledged == 40)
        #expect(terminal.report.problems.isEmpty, "\(terminal.report.problems)")
        #expect(server.replies == [["ret": "opendoor", "sn": "SOCK1", "result": true]])
        #expect(terminal.responder.state.doorsOpened == [2: 1])
        let file = try JSONReader.parse(String(contentsOfFile: path, encoding: .utf8))
        #expect(file["doors_opened"] == ["2": 1])
        #expect(file["commands"]?.array?.first?["command"] == ["cmd": "opendoor", "doornum": 2])
    }

    @Test func aRecordPushedBeforeTheReplyIsAcknowledgedApartFromTheBatchInFlight() throws {
        let path = NSTemporaryDirectory() + "catraca-emulator-socket-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let server = CommandingServer(command: ["cmd": "getuserlist", "stn": true])

        let terminal = try run(server, quirks: [.sendlogBeforeReply, .cmdReplies], stateFile: path)

        #expect(terminal.report.recordsAcknowledged == 40)
        #expect(terminal.report.problems.isEmpty, "\(terminal.report.problems)")
        #expect(server.replies.first?["count"] == 3)
        #expect(server.acknowledged.first?["count"] == 1, "the pushed record, acknowledged before the held batch")
        #expect(terminal.responder.state.logs.count == 1)
        #expect(terminal.responder.state.newLogCount == 0)
    }

    @Test func aRebootDropsTheConnectionAndTheTerminalRegistersAgain() throws {
        let path = NSTemporaryDirectory() + "catraca-emulator-socket-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let server = CommandingServer(command: ["cmd": "reboot"])

        let terminal = try run(server, quirks: [], stateFile: path)

        #expect(server.registrations == 2)
        #expect(server.replies.isEmpty)
        #expect(terminal.report.reconnects == 1)
        #expect(terminal.report.recordsAcknowledged == 40, "the batch cut off by the reboot is sent again")
        #expect(terminal.responder.state.reboots == 1)
    }
}
