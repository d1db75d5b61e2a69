#if canImport(Glibc)
import Glibc
#endif
import CatracaJSON
import CatracaPlugins

/// The host's end of the daemon's socket (descriptor 3): blocking reads and writes of whole frames.
///
/// One thread uses it: the hook calls and the plugin's callbacks (log, open_door) all run on the main thread.
final class HostChannel {
    static let descriptor: Int32 = 3
    private var decoder = PluginFrameDecoder()

    /// Whether descriptor 3 is a socket: the host is started by the daemon, not by hand.
    static var isConnected: Bool {
        var status = stat()
        return fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFSOCK
    }

    /// The next frame from the daemon; nil when the daemon closed its end (stop, reload, or the daemon died).
    func read() throws -> JSONObject? {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if let frame = try decoder.next() { return frame }
            let count = chunk.withUnsafeMutableBytes { Glibc.read(HostChannel.descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return nil }
            if count < 0 {
                if errno == EINTR { continue }
                throw HostError.channel("read: \(String(cString: strerror(errno)))")
            }
            decoder.append(Array(chunk[0..<count]))
        }
    }

    func write(_ message: PluginHostMessage) {
        let bytes = PluginFrame.encode(message.frame)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                send(HostChannel.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                // The daemon is gone; the next read sees the end of the stream and the host exits.
                return
            }
            offset += written
        }
    }
}

/// Why the host stops.
enum HostError: Error, CustomStringConvertible {
    case channel(String)
    case usage(String)

    var description: String {
        switch self {
        case .channel(let reason): return "the daemon's socket failed: \(reason)"
        case .usage(let text): return text
        }
    }
}
