import CatracaTerminal

extension TerminalGateway {
    /// Writes an intercom message straight to terminal `sn`'s connection (not through its command queue);
    /// false when the terminal is not connected.
    func sendIntercom(_ bytes: [UInt8], sn: String) -> Bool {
        guard let id = directory.connection(for: sn), let connection = connections[id.rawValue] else { return false }
        connection.sendText(bytes)
        return true
    }
}
