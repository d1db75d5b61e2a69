import CatracaJSON
import Foundation

/// The device itself: initsys, reboot, settime, setdevinfo, getdevinfo, opendoor.
extension TerminalCommandResponder {
    /// Factory clean; see `TerminalState.resetToFactory`.
    func initialize() -> JSONObject {
        state.resetToFactory()
        listings = [:]
        return [:]
    }

    /// Counts the reboot and forgets listings and the enrolment in progress. No reply; the response says
    /// `restarts`, so the socket side drops the connection and registers again, as a real terminal does.
    func reboot() -> JSONObject? {
        state.reboots += 1
        state.enrolment = nil
        listings = [:]
        return nil
    }

    func setTime(_ fields: CommandFields, at now: Date) throws -> JSONObject {
        guard let text = try fields.string("cloudtime") else { throw CommandRefusal.invalid("cloudtime is missing") }
        guard state.clock.set(to: text, at: now) else {
            throw CommandRefusal.invalid("cloudtime: \"\(text)\" is not YYYY-MM-DD HH:MM:SS")
        }
        return [:]
    }

    /// Sets the parameters sent (any subset; `usefpnum` is the fingerprint limit, `server_verify`
    /// switches server ratify). Fields the terminal does not know are ignored, as firmwares do.
    func setDeviceInfo(_ fields: CommandFields) throws -> JSONObject {
        var device = state.device
        if let value = try fields.int("deviceid", in: 0...999_999) { device.deviceid = value }
        if let value = try fields.int("language", in: 0...99) { device.language = value }
        if let value = try fields.int("volume", in: 0...10) { device.volume = value }
        if let value = try fields.int("screensaver", in: 0...255) { device.screensaver = value }
        if let value = try fields.int("verifymode", in: 0...99) { device.verifymode = value }
        if let value = try fields.int("sleep", in: 0...1) { device.sleep = value }
        if let value = try fields.int("usefpnum", "userfpnum", in: 0...10) { device.fingerprintsPerUser = value }
        if let value = try fields.int("loghint", in: 0...1_000_000) { device.loghint = value }
        if let value = try fields.int("reverifytime", in: 0...255) { device.reverifytime = value }
        if let value = try fields.int("server_verify", in: 0...1) { device.serverVerify = value }
        state.device = device
        return [:]
    }

    /// The fields the protocol's getdevinfo reply lists (not `server_verify`, which it does not).
    func deviceInfo() -> JSONObject {
        var body = TerminalState.snapshot(of: state.device).object ?? [:]
        body["server_verify"] = nil
        return body
    }

    /// Counts one opening of door `doornum` (1 when absent).
    func openDoor(_ fields: CommandFields) throws -> JSONObject {
        let door = try fields.int("doornum", in: 1...255) ?? 1
        state.doorsOpened[door, default: 0] += 1
        return [:]
    }
}
