import CatracaPluginABI

/// The host calls this plugin makes, over the `catraca_host` table it was opened with.
struct ScheduleHost {
    let host: UnsafePointer<catraca_host>

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

    /// The site's local weekday (0 Sunday .. 6 Saturday) and minute of the day now, or nil when the host
    /// could not tell.
    func siteNow() -> (weekday: Int, minuteOfDay: Int)? {
        let now = host.pointee.now_ms(host.pointee.context)
        var buffer = [CChar](repeating: 0, count: 32)
        var weekday: Int32 = 0
        let status = host.pointee.site_time(host.pointee.context, now, &buffer, buffer.count, &weekday)
        guard status == 0 else {
            return nil
        }

        // "YYYY-MM-DD HH:MM:SS": the hour and minute are at offsets 11 and 14.
        let text = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        guard text.count >= 16, let hours = Int(String(decoding: text[11..<13], as: UTF8.self)),
              let minutes = Int(String(decoding: text[14..<16], as: UTF8.self))
        else {
            return nil
        }
        return (Int(weekday), hours * 60 + minutes)
    }
}

extension UnsafeMutablePointer where Pointee == catraca_decision {
    /// Writes `access` and `message` (cut to the field, never inside a UTF-8 sequence) into the decision.
    func write(access: Int32, message: String) {
        pointee.access = access
        withUnsafeMutableBytes(of: &pointee.message) { field in
            let bytes = utf8Prefix(Array(message.utf8), limit: field.count - 1)
            field.copyBytes(from: bytes)
            field[bytes.count] = 0
        }
    }
}

/// The first `limit` bytes of `utf8`, or fewer so that no UTF-8 sequence is cut in two.
func utf8Prefix(_ utf8: [UInt8], limit: Int) -> ArraySlice<UInt8> {
    guard utf8.count > limit else {
        return utf8[...]
    }
    var end = limit
    while end > 0, utf8[end] & 0xC0 == 0x80 {
        end -= 1
    }
    return utf8[..<end]
}
