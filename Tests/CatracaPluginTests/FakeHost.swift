import CatracaPluginABI
import Foundation

/// A `catraca_host` for plugin tests: an in-memory store, a settable clock on a site at UTC, captured
/// log lines and door requests. Its C function pointers are non-capturing closures that find this object
/// again through `context`, as a real host does.
final class FakeHost {
    struct LogLine {
        let level: Int32
        let message: String
        let metadata: [String: String]
    }

    var store: [String: [UInt8]] = [:]
    var nowMs: Int64 = 0
    var storeFails = false
    private(set) var logLines: [LogLine] = []
    private(set) var doorsOpened: [(sn: String, door: Int32)] = []

    /// The table handed to a plugin's `open`; valid as long as this object lives.
    let table: UnsafeMutablePointer<catraca_host>
    private let settings: UnsafeMutablePointer<CChar>

    init(settings: String, siteTime: String = "2026-05-04 12:00:00") {
        self.settings = strdup(settings)
        self.table = .allocate(capacity: 1)
        self.table.initialize(to: Self.table(context: nil))
        self.table.pointee.context = Unmanaged.passUnretained(self).toOpaque()
        setSiteTime(siteTime)
    }

    deinit {
        free(settings)
        table.deinitialize(count: 1)
        table.deallocate()
    }

    /// Sets the clock to a site local time "YYYY-MM-DD HH:MM:SS" (the fake site is at UTC).
    func setSiteTime(_ text: String) {
        let numbers = text.split(whereSeparator: { "- :".contains($0) }).compactMap { Int32($0) }
        precondition(numbers.count == 6, "not a site time: \(text)")

        var fields = tm()
        fields.tm_year = numbers[0] - 1900
        fields.tm_mon = numbers[1] - 1
        fields.tm_mday = numbers[2]
        fields.tm_hour = numbers[3]
        fields.tm_min = numbers[4]
        fields.tm_sec = numbers[5]
        nowMs = Int64(timegm(&fields)) * 1000
    }

    var messages: [String] {
        logLines.map(\.message)
    }

    fileprivate func log(_ level: Int32, _ message: String, _ metadata: [String: String]) {
        logLines.append(LogLine(level: level, message: message, metadata: metadata))
    }

    fileprivate func openDoor(_ sn: String, _ door: Int32) {
        doorsOpened.append((sn, door))
    }

    fileprivate func settingsText() -> UnsafePointer<CChar> {
        UnsafePointer(settings)
    }

    private static func table(context: UnsafeMutableRawPointer?) -> catraca_host {
        catraca_host(
            size: UInt32(MemoryLayout<catraca_host>.size),
            abi_version: UInt32(CATRACA_PLUGIN_ABI_VERSION),
            context: context,
            log: { context, level, message, keys, values, count in
                var metadata: [String: String] = [:]
                for index in 0..<count {
                    metadata[String(cString: keys![index]!)] = String(cString: values![index]!)
                }
                fakeHost(context).log(level, String(cString: message!), metadata)
            },
            settings_json: { context in
                fakeHost(context).settingsText()
            },
            kv_get: { context, key, buffer, capacity, length in
                kvGet(fakeHost(context), String(cString: key!), buffer, capacity, length)
            },
            kv_set: { context, key, value, length in
                kvSet(fakeHost(context), String(cString: key!), value, length)
            },
            now_ms: { context in
                fakeHost(context).nowMs
            },
            site_time: { _, ms, buffer, capacity, weekday in
                siteTime(ms, buffer, capacity, weekday)
            },
            open_door: { context, sn, door in
                fakeHost(context).openDoor(String(cString: sn!), door)
                return 0
            }
        )
    }
}

private func fakeHost(_ context: UnsafeMutableRawPointer?) -> FakeHost {
    Unmanaged<FakeHost>.fromOpaque(context!).takeUnretainedValue()
}

private func kvGet(
    _ host: FakeHost, _ key: String, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int,
    _ length: UnsafeMutablePointer<Int>?
) -> Int32 {
    if host.storeFails {
        return -1
    }
    guard let value = host.store[key] else {
        return 1
    }
    length?.pointee = value.count
    if let buffer {
        let copied = min(capacity, value.count)
        value.withUnsafeBytes { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress!, byteCount: copied)
        }
    }
    return 0
}

private func kvSet(_ host: FakeHost, _ key: String, _ value: UnsafePointer<CChar>?, _ length: Int) -> Int32 {
    if host.storeFails {
        return -1
    }
    if let value {
        host.store[key] = Array(UnsafeRawBufferPointer(start: value, count: length))
    } else {
        host.store[key] = nil
    }
    return 0
}

/// The site's local time at UTC, as a host writes it: "YYYY-MM-DD HH:MM:SS" and the weekday.
private func siteTime(
    _ ms: Int64, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int, _ weekday: UnsafeMutablePointer<Int32>?
) -> Int32 {
    guard let buffer, capacity >= 20 else {
        return -1
    }
    var seconds = time_t(ms / 1000)
    var fields = tm()
    gmtime_r(&seconds, &fields)
    strftime(buffer, capacity, "%Y-%m-%d %H:%M:%S", &fields)
    weekday?.pointee = fields.tm_wday
    return 0
}
