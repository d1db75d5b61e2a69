/// Close status codes (RFC 6455 section 7.4 and the IANA WebSocket Close Code Number Registry).
public enum CloseCode {
    public static let normal: UInt16 = 1000
    public static let goingAway: UInt16 = 1001
    public static let protocolError: UInt16 = 1002
    public static let unsupportedData: UInt16 = 1003
    /// Reported, never sent: the peer's close frame carried no code.
    public static let noStatusReceived: UInt16 = 1005
    /// Reported, never sent: the connection ended without a close handshake.
    public static let abnormal: UInt16 = 1006
    public static let invalidPayload: UInt16 = 1007
    public static let policyViolation: UInt16 = 1008
    public static let messageTooBig: UInt16 = 1009
    public static let internalError: UInt16 = 1011

    /// Whether a peer may send `code` in a close frame: 1000-1003, 1007-1011 and the 3000-4999 range
    /// for libraries and applications. 1004-1006 and 1015 are reserved; 1012-2999 are not assigned to us.
    public static func isValidOnTheWire(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1011, 3000...4999: return true
        default: return false
        }
    }
}
