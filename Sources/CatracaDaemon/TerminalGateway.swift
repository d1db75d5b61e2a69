import CatracaCore
import CatracaHTTP
import CatracaServer
import CatracaStore
import CatracaTerminal

/// Serves terminals: one `TerminalSession` per WebSocket connection, records handed to the store's
/// single writer, and acknowledgements sent once the store says they are committed.
///
/// Lives on the event loop; the store's completions hop back to it.
final class TerminalGateway {
    let loop: EventLoop
    let writer: StoreWriter
    let logger: Logger
    let sessionConfiguration: TerminalSessionConfiguration
    var directory = TerminalDirectory()
    private(set) var connections: [UInt64: TerminalConnection] = [:]

    init(loop: EventLoop, writer: StoreWriter, sessionConfiguration: TerminalSessionConfiguration, logger: Logger) {
        self.loop = loop
        self.writer = writer
        self.sessionConfiguration = sessionConfiguration
        self.logger = logger
    }

    /// A handler for a new terminal connection.
    func makeHandler() -> WebSocketHandler {
        TerminalConnection(gateway: self)
    }

    /// Batches handed to the store and not yet answered, over all connections.
    var batchesInFlight: Int { connections.values.reduce(0) { $0 + $1.batchesInFlight } }

    func connectionOpened(_ connection: TerminalConnection, id: UInt64) {
        connections[id] = connection
    }

    func connectionClosed(id: UInt64) {
        connections[id] = nil
        _ = directory.release(connection: ConnectionID(id))
    }

    /// Gives the serial number to the connection that registered last and closes the older one.
    func claim(sn: String, connection: UInt64, address: SocketAddress) {
        let claim = directory.claim(sn: sn, connection: ConnectionID(connection), address: address.host)
        guard let previous = claim.displaced, previous.rawValue != connection else { return }
        let context = ["sn": sn, "address": address.description, "previous": claim.displacedAddress ?? "unknown"]
        if claim.fromDifferentAddress {
            logger.warning("serial number taken over from another address; check for a device claiming it", context)
        } else {
            logger.info("terminal reconnected; closing its older connection", context)
        }
        connections[previous.rawValue]?.close(code: 4000, reason: "replaced by a newer connection")
    }
}
