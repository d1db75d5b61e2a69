/// One side of a call: a terminal by its serial number, or a phone or browser by its connection on the phones' port.
public enum IntercomPeer: Hashable, Sendable, CustomStringConvertible {
    case terminal(sn: String)
    case phone(connection: UInt64)

    public var description: String {
        switch self {
        case .terminal(let sn): return "terminal \(sn)"
        case .phone(let connection): return "phone connection \(connection)"
        }
    }
}
