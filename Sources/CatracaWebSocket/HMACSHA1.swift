/// HMAC-SHA1 (RFC 2104) on the SHA-1 this module already has for the handshake.
///
/// Used for TURN REST credentials (coturn's `use-auth-secret`), whose password is
/// base64(HMAC-SHA1(shared secret, username)); nothing else should pick SHA-1.
public enum HMACSHA1 {
    private static let blockSize = 64

    /// The 20-byte authentication code of `message` under `key`.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > blockSize ? SHA1.digest(key) : key
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        let inner = SHA1.digest(block.map { $0 ^ 0x36 } + message)
        return SHA1.digest(block.map { $0 ^ 0x5c } + inner)
    }
}
