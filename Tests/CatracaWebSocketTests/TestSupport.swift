import CatracaCore
import CatracaHTTP
@testable import CatracaWebSocket

/// The upgrade request of RFC 6455 section 1.2, with `extra` header lines added.
func upgradeRequest(path: String = "/evo", key: String = "dGhlIHNhbXBsZSBub25jZQ==", extra: String = "") -> [UInt8] {
    Array(("GET \(path) HTTP/1.1\r\nHost: cabinet.local\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\(extra)\r\n").utf8)
}

/// One frame as a peer would write it. A non-nil `mask` masks the payload with that key.
func frame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, mask: [UInt8]? = [0x37, 0xFA, 0x21, 0x3D],
           reservedBits: UInt8 = 0, lengthEncoding: Int? = nil) -> [UInt8] {
    var bytes: [UInt8] = [(fin ? 0x80 : 0) | reservedBits << 4 | opcode]
    let maskBit: UInt8 = mask == nil ? 0 : 0x80
    let encoding = lengthEncoding ?? (payload.count <= 125 ? 0 : payload.count <= 0xFFFF ? 2 : 8)
    switch encoding {
    case 0: bytes.append(maskBit | UInt8(payload.count))
    case 2: bytes += [maskBit | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
    default: bytes += [maskBit | 127] + (0..<8).reversed().map { UInt8((UInt64(payload.count) >> ($0 * 8)) & 0xFF) }
    }
    guard let mask else { return bytes + payload }
    return bytes + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
}

func text(_ string: String) -> [UInt8] { Array(string.utf8) }

func closePayload(_ code: UInt16, _ reason: String = "") -> [UInt8] {
    [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8)
}

/// A frame read back from a connection's output.
struct WrittenFrame: Equatable {
    var fin: Bool
    var opcode: UInt8
    var masked: Bool
    var payload: [UInt8]

    /// The close code in a close frame's payload.
    var closeCode: UInt16? {
        opcode == 0x8 && payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
    }
}

/// Splits written bytes into frames, unmasking client frames. Written independently of the codec under test.
func writtenFrames(_ bytes: [UInt8]) -> [WrittenFrame] {
    var frames: [WrittenFrame] = []
    var index = 0
    while index + 2 <= bytes.count {
        let masked = bytes[index + 1] & 0x80 != 0
        var length = Int(bytes[index + 1] & 0x7F)
        var cursor = index + 2
        if length == 126 {
            length = Int(bytes[cursor]) << 8 | Int(bytes[cursor + 1])
            cursor += 2
        } else if length == 127 {
            length = bytes[cursor..<cursor + 8].reduce(0) { $0 << 8 | Int($1) }
            cursor += 8
        }
        var key: [UInt8] = []
        if masked {
            key = Array(bytes[cursor..<cursor + 4])
            cursor += 4
        }
        var payload = Array(bytes[cursor..<cursor + length])
        if masked { payload = payload.enumerated().map { $0.element ^ key[$0.offset % 4] } }
        frames.append(WrittenFrame(fin: bytes[index] & 0x80 != 0, opcode: bytes[index] & 0xF, masked: masked,
                                   payload: payload))
        index = cursor + length
    }
    return frames
}

/// A server connection past a valid handshake, with the 101 already taken from its output.
func openServer(configuration: WebSocketConfiguration = WebSocketConfiguration(),
                now: Instant = .zero) -> WebSocketConnection {
    var connection = WebSocketConnection(role: .server, configuration: configuration, now: now)
    _ = connection.receive(upgradeRequest(), now: now)
    _ = connection.takeOutput()
    return connection
}

/// A deterministic generator so that garbage tests fail the same way every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

extension Instant {
    static func at(seconds: Double) -> Instant { Instant.zero + .seconds(seconds) }
}
