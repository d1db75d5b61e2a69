#if canImport(Glibc)
import Glibc
#endif
import CatracaPluginABI
import CatracaPlugins
import Foundation

/// What the host offers its plugin (`catraca_host`): log lines and door openings forwarded to the daemon,
/// the plugin's settings, its key-value store, the site clock.
final class HostServices {
    private let channel: HostChannel
    private let store: KeyValueStore
    private let settings: UnsafeMutablePointer<CChar>
    private let timeZone: TimeZone
    /// Handed to the plugin's `open`; lives as long as the host.
    let host: UnsafeMutablePointer<catraca_host>

    init(channel: HostChannel, settingsJSON: String, store: KeyValueStore, timeZone: TimeZone) {
        self.channel = channel
        self.store = store
        self.timeZone = timeZone
        settings = strdup(settingsJSON)
        host = UnsafeMutablePointer<catraca_host>.allocate(capacity: 1)
        host.initialize(to: catraca_host(
            size: UInt32(MemoryLayout<catraca_host>.size), abi_version: PluginLibrary.hostABIVersion,
            context: nil, log: hostLog, settings_json: hostSettings, kv_get: hostGet, kv_set: hostSet,
            now_ms: hostNow, site_time: hostSiteTime, open_door: hostOpenDoor
        ))
        host.pointee.context = Unmanaged.passUnretained(self).toOpaque()
    }

    static func from(_ context: UnsafeMutableRawPointer?) -> HostServices {
        Unmanaged<HostServices>.fromOpaque(context!).takeUnretainedValue()
    }

    /// Sends a log line, cut to `PluginLogText`'s limits so that its frame always fits.
    func log(level: Int32, message: String, context: [(String, String)]) {
        let (message, context) = PluginLogText.truncated(message: message, context: context)
        channel.write(.log(level: Int(level), message: message, context: context))
    }

    var settingsPointer: UnsafePointer<CChar> { UnsafePointer(settings) }

    func get(_ key: String) -> Result<[UInt8]?, Error> { Result { try store.get(key) } }

    func set(_ key: String, _ value: [UInt8]?) -> Error? {
        do {
            try store.set(key, value)
            return nil
        } catch {
            return error
        }
    }

    func openDoor(sn: String, door: Int32) {
        channel.write(.openDoor(sn: sn, door: Int(door)))
    }

    /// The site's local time of `milliseconds` as `YYYY-MM-DD HH:MM:SS`, and its weekday (0 Sunday).
    func siteTime(_ milliseconds: Int64) -> (text: String, weekday: Int32) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let text = String(format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                          parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
        return (text, Int32((parts.weekday ?? 1) - 1))
    }
}

// The C callbacks: plain functions, so that they convert to C function pointers.

private func hostLog(_ context: UnsafeMutableRawPointer?, _ level: Int32, _ message: UnsafePointer<CChar>?,
                     _ keys: UnsafePointer<UnsafePointer<CChar>?>?, _ values: UnsafePointer<UnsafePointer<CChar>?>?,
                     _ count: Int) {
    var pairs: [(String, String)] = []
    // Pairs past the limit are dropped by `PluginLogText.truncated`; reading far past it only costs time.
    for index in 0..<min(max(count, 0), PluginLogText.maxPairs + 1) {
        guard let key = keys?[index] else { continue }
        pairs.append((String(cString: key), values?[index].map { String(cString: $0) } ?? ""))
    }
    HostServices.from(context).log(level: level, message: message.map { String(cString: $0) } ?? "", context: pairs)
}

private func hostSettings(_ context: UnsafeMutableRawPointer?) -> UnsafePointer<CChar>? {
    HostServices.from(context).settingsPointer
}

private func hostGet(_ context: UnsafeMutableRawPointer?, _ key: UnsafePointer<CChar>?,
                     _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int, _ length: UnsafeMutablePointer<Int>?)
    -> Int32 {
    let services = HostServices.from(context)
    guard let key else { return -1 }
    switch services.get(String(cString: key)) {
    case .success(let value?):
        length?.pointee = value.count
        if let buffer { value.prefix(capacity).withUnsafeBytes { UnsafeMutableRawPointer(buffer).copyMemory(
            from: $0.baseAddress!, byteCount: $0.count) } }
        return 0
    case .success(nil):
        length?.pointee = 0
        return 1
    case .failure(let error):
        services.log(level: Int32(CATRACA_LOG_ERROR), message: "kv_get failed", context: [("error", "\(error)")])
        return -1
    }
}

private func hostSet(_ context: UnsafeMutableRawPointer?, _ key: UnsafePointer<CChar>?,
                     _ value: UnsafePointer<CChar>?, _ length: Int) -> Int32 {
    let services = HostServices.from(context)
    guard let key else { return -1 }
    let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: length)) }
    guard let error = services.set(String(cString: key), bytes) else { return 0 }
    services.log(level: Int32(CATRACA_LOG_ERROR), message: "kv_set failed",
                 context: [("key", String(cString: key)), ("error", "\(error)")])
    return -1
}

private func hostNow(_ context: UnsafeMutableRawPointer?) -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
}

private func hostSiteTime(_ context: UnsafeMutableRawPointer?, _ milliseconds: Int64,
                          _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int,
                          _ weekday: UnsafeMutablePointer<Int32>?) -> Int32 {
    let (text, day) = HostServices.from(context).siteTime(milliseconds)
    guard let buffer, capacity > text.utf8.count else { return -1 }
    _ = text.withCString { strcpy(buffer, $0) }
    weekday?.pointee = day
    return 0
}

private func hostOpenDoor(_ context: UnsafeMutableRawPointer?, _ sn: UnsafePointer<CChar>?, _ door: Int32) -> Int32 {
    guard let sn else { return -1 }
    HostServices.from(context).openDoor(sn: String(cString: sn), door: door)
    return 0
}
