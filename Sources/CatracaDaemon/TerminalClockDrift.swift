import CatracaCore
import CatracaJSON
import Foundation

/// How far a terminal's clock was from this box's when it registered, read from the `time` of its devinfo
/// (site local time, `YYYY-MM-DD HH:MM:SS`). Whole seconds only: that is all the terminal says.
enum TerminalClockDrift {
    /// The terminal's time minus `boxTime`, in seconds; nil when the devinfo has no readable `time`.
    static func seconds(devinfoJSON: String?, siteTime: SiteTime, boxTime: Date) -> Double? {
        guard let text = devinfo(devinfoJSON)?["time"]?.string else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = siteTime.timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        guard let terminalTime = formatter.date(from: text) else { return nil }
        return (terminalTime.timeIntervalSince(boxTime)).rounded()
    }

    /// The firmware version the devinfo names, if any.
    static func firmware(devinfoJSON: String?) -> String? {
        devinfo(devinfoJSON)?["firmware"]?.string
    }

    private static func devinfo(_ json: String?) -> JSONObject? {
        guard let json, let value = try? JSONReader().parse(Array(json.utf8)) else { return nil }
        return value.object
    }
}
