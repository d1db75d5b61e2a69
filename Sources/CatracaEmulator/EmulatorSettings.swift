import CatracaCore
import CatracaServer

/// How an emulated terminal behaves.
public struct EmulatorSettings: Sendable {
    /// The daemon's terminal port.
    public var server: SocketAddress
    /// The path of the WebSocket URL the terminal opens.
    public var path = "/"
    /// Records to push in all; 0 registers and then stays connected, idle.
    public var records = 100
    /// Records per `sendlog` message.
    public var batchSize = 20
    /// A terminal that gets no acknowledgement within this time drops the connection, reconnects
    /// and sends the same records again (what the firmwares do after about 20 s).
    public var ackTimeout = TimeSpan.seconds(20)
    /// Wait before reconnecting after a connection was lost or dropped.
    public var reconnectDelay = TimeSpan.milliseconds(200)
    /// Drops the connection once, right after this many batches were acknowledged, then reconnects.
    public var dropAfterBatches: Int?
    /// Sends every Nth acknowledged batch once more, as a terminal does when an ack was lost.
    public var resendEvery: Int?
    /// Least time from one batch to the next; zero sends the next batch as soon as the last is acknowledged.
    public var batchInterval = TimeSpan.zero
    /// Bytes of photo (as base64 `image`) per record; 0 sends none.
    public var photoBytes = 0
    /// Terminal time of the first record; later records are one second apart.
    public var firstRecordTime = "2024-01-01 08:00:00"
    /// Stay connected, answering commands, once every record is acknowledged (until stopped).
    public var serve = false
    /// Users and stored records each terminal holds when it starts.
    public var seed = TerminalSeed()
    /// Page sizes of the paged listings.
    public var pageSizes = PageSizes()
    /// Quirks of every terminal, unless `quirksBySerialNumber` names the terminal.
    public var quirks = TerminalQuirks()
    public var quirksBySerialNumber: [String: TerminalQuirks] = [:]
    /// Firmware limits and the enrolment time.
    public var responderOptions = ResponderOptions()
    /// Where to write each terminal's state after every command; see `StateFileWriter.path`.
    public var stateFile: String?

    public init(server: SocketAddress) {
        self.server = server
    }
}

/// What an emulated terminal did.
public struct EmulatorReport: Sendable {
    public var serialNumber: String
    public var registered = false
    public var refusedReason: String?
    public var recordsAcknowledged = 0
    public var batchesSent = 0
    public var resends = 0
    public var reconnects = 0
    /// Time from sending a `sendlog` to its acknowledgement, one entry per acknowledged batch.
    public var ackLatencies: [TimeSpan] = []
    public var problems: [String] = []
    /// Server commands received (answered or not).
    public var commandsReceived = 0
    /// Why the connection was last lost or could not be made.
    public var lastDisconnect: String?

    public init(serialNumber: String) {
        self.serialNumber = serialNumber
    }
}
