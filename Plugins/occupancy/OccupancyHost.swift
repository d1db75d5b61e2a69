import CatracaPluginABI

/// The host calls this plugin makes, over the `catraca_host` table it was opened with.
struct OccupancyHost {
    let host: UnsafePointer<catraca_host>

    /// The key of the count in the plugin's store, as decimal text.
    static let countKey = "inside"

    /// The plugin's settings object as JSON text ("{}" when the config file has none).
    func settingsJSON() -> String {
        guard let text = host.pointee.settings_json(host.pointee.context) else {
            return "{}"
        }
        return String(cString: text)
    }

    func log(_ level: Int32, _ message: String) {
        message.withCString { text in
            host.pointee.log(host.pointee.context, level, text, nil, nil, 0)
        }
    }

    /// The stored count of people inside: 0 when none is stored yet or what is stored is not a count
    /// (logged), nil when the store failed (logged).
    func storedInside() -> Int? {
        var buffer = [CChar](repeating: 0, count: 24)
        var length = 0
        let status = host.pointee.kv_get(host.pointee.context, Self.countKey, &buffer, buffer.count, &length)
        if status == 1 {
            return 0
        }
        guard status == 0 else {
            log(Int32(CATRACA_LOG_ERROR), "occupancy could not read its count from the store")
            return nil
        }

        let bytes = buffer.prefix(min(length, buffer.count)).map { UInt8(bitPattern: $0) }
        guard length <= buffer.count, let inside = Int(String(decoding: bytes, as: UTF8.self)), inside >= 0 else {
            log(Int32(CATRACA_LOG_ERROR), "occupancy found a stored count that is not a number; it counts from 0")
            return 0
        }
        return inside
    }

    /// Stores the count of people inside; false when the store failed (logged).
    func storeInside(_ inside: Int) -> Bool {
        let text = Array(String(inside).utf8)
        let status = text.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { characters in
                host.pointee.kv_set(host.pointee.context, Self.countKey, characters.baseAddress, characters.count)
            }
        }
        guard status == 0 else {
            log(Int32(CATRACA_LOG_ERROR), "occupancy could not store its count; a restart would lose this passage")
            return false
        }
        return true
    }
}

extension UnsafeMutablePointer where Pointee == catraca_decision {
    /// Writes `access` and `message` (cut to the field; this plugin's messages are ASCII) into the decision.
    func write(access: Int32, message: String) {
        pointee.access = access
        withUnsafeMutableBytes(of: &pointee.message) { field in
            let bytes = Array(message.utf8.prefix(field.count - 1))
            field.copyBytes(from: bytes)
            field[bytes.count] = 0
        }
    }
}
