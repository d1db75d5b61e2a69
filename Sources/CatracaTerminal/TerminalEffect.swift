/// What a terminal session asks the I/O layer to do, in the order given.
public enum TerminalEffect: Equatable, Sendable {
    /// Write this JSON text message to the terminal.
    case send([UInt8])
    /// Record the terminal's registration (devinfo, address, last seen) and claim its serial number
    /// for this connection.
    ///
    /// Also emitted when a `sendlog` arrives before `reg`; `devinfoJSON` is nil then, which means
    /// "not reported this time", so a store should keep the devinfo it already has.
    case register(TerminalRegistration)
    /// Commit the batch durably, then call `batchStored` or `batchFailed` on the session with its id.
    case store(RecordBatch)
    /// A message that is not a request the session serves: a reply to a server command (`"ret"`, or
    /// `"cmd"` on some firmwares) for the command queue, or a request nothing serves yet.
    case reply(TerminalMessage)
    /// Ask the site's rules (plugins), then tell the session the answer (`registrationDecided`,
    /// `recordsDecided`, `qrcodeDecided`). Emitted only when the configuration says the site decides access,
    /// except for QR codes, which nothing but the site's rules can recognise.
    case decide(AccessQuestion)

    /// The message text of a `.send`, for logs and tests; nil for the other effects.
    public var sentText: String? {
        guard case .send(let bytes) = self else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension RecordBatch: Equatable {
    public static func == (lhs: RecordBatch, rhs: RecordBatch) -> Bool {
        lhs.id == rhs.id && lhs.sn == rhs.sn && lhs.records == rhs.records && lhs.quarantined == rhs.quarantined
            && lhs.receivedAt == rhs.receivedAt
    }
}
