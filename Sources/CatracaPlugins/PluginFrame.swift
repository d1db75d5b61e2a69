import CatracaJSON

/// The frames between the daemon and a plugin host: a 4-byte big-endian length, then that many bytes of one
/// JSON object (docs in `Plugins/README.md`, "Frame protocol").
public enum PluginFrame {
    /// The largest frame either side accepts. A record's JSON without its photo is far smaller; a bigger
    /// length means the stream is corrupt (a plugin writing to the protocol descriptor, say).
    public static let maxBytes = 1 << 20

    /// `value` as one frame.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        let body = JSONWriter().bytes(value)
        let length = UInt32(body.count)
        return [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF),
                UInt8(length & 0xFF)] + body
    }
}

/// Why a frame stream cannot be read further; the connection is closed (and the host restarted).
public enum PluginFrameError: Error, Equatable, CustomStringConvertible {
    case tooLarge(length: Int)
    case notJSON(String)
    case notAnObject

    public var description: String {
        switch self {
        case .tooLarge(let length):
            return "frame of \(length) bytes is over the \(PluginFrame.maxBytes)-byte limit; the stream is corrupt"
        case .notJSON(let reason):
            return "frame is not JSON: \(reason)"
        case .notAnObject:
            return "frame is JSON but not an object"
        }
    }
}

/// Cuts a byte stream into frames, however the bytes arrive.
public struct PluginFrameDecoder {
    private var buffer: [UInt8] = []
    private var start = 0

    public init() {}

    /// Bytes read from the stream.
    public mutating func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// The next whole frame's object, or nil until more bytes come.
    public mutating func next() throws -> JSONObject? {
        guard buffer.count - start >= 4 else { return nil }
        let length = buffer[start..<start + 4].reduce(0) { ($0 << 8) | Int($1) }
        guard length <= PluginFrame.maxBytes else { throw PluginFrameError.tooLarge(length: length) }
        guard buffer.count - start - 4 >= length else { return nil }

        let body = Array(buffer[start + 4..<start + 4 + length])
        start += 4 + length
        compact()
        let value: JSONValue
        do {
            value = try JSONReader().parse(body)
        } catch {
            throw PluginFrameError.notJSON("\(error)")
        }
        guard let object = value.object else { throw PluginFrameError.notAnObject }
        return object
    }

    /// Drops consumed bytes once they are most of the buffer, so a long-lived stream does not grow.
    private mutating func compact() {
        guard start > 4096 || start == buffer.count else { return }
        buffer.removeFirst(start)
        start = 0
    }
}
