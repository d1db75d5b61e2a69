// schedule: access windows per group of people and weekday, on the site's clock.
//
// Settings: see ScheduleSettings. A record from a person in a group is allowed inside one of their
// windows and refused outside them ("Outside your schedule"); a person in no group gets no opinion, or a
// refusal with `"default": "deny"`. The moment judged is the site clock's now, not the record's own
// time: terminals' clocks drift, and a record is judged when it arrives.
//
// Build outside the package (from the repository's top):
//     swiftc -emit-library -module-name Schedule -I Plugins/include Plugins/schedule/*.swift -o libschedule.so
import CatracaPluginABI

#if canImport(Glibc)
import Glibc
#endif

/// One opened instance: the host table and the rule read from the settings.
final class ScheduleState {
    let host: ScheduleHost
    let rule: ScheduleRule
    let deniesUnknownPeople: Bool

    init(host: ScheduleHost, rule: ScheduleRule, deniesUnknownPeople: Bool) {
        self.host = host
        self.rule = rule
        self.deniesUnknownPeople = deniesUnknownPeople
    }

    /// Decides one record; returns 0, or 1 when the site clock could not be read.
    func decide(enrollid: Int64, decision: UnsafeMutablePointer<catraca_decision>) -> Int32 {
        guard let now = host.siteNow() else {
            host.log(Int32(CATRACA_LOG_ERROR), "schedule could not read the site time")
            return 1
        }

        switch rule.verdict(enrollid: enrollid, weekday: now.weekday, minuteOfDay: now.minuteOfDay) {
        case .inside:
            decision.write(access: Int32(CATRACA_ALLOW), message: "")
        case .outside:
            decision.write(access: Int32(CATRACA_DENY), message: "Outside your schedule")
        case .unknownPerson where deniesUnknownPeople:
            decision.write(access: Int32(CATRACA_DENY), message: "Outside your schedule")
        case .unknownPerson:
            break
        }
        return 0
    }
}

private func openSchedule(_ table: UnsafePointer<catraca_host>?) -> UnsafeMutableRawPointer? {
    guard let table else {
        return nil
    }
    let host = ScheduleHost(host: table)
    do {
        let settings = try ScheduleSettings.decode(host.settingsJSON())
        let state = ScheduleState(host: host, rule: try settings.rule(),
                                  deniesUnknownPeople: try settings.deniesUnknownPeople())
        return Unmanaged.passRetained(state).toOpaque()
    } catch {
        host.log(Int32(CATRACA_LOG_ERROR), "\(error)")
        return nil
    }
}

private func closeSchedule(_ state: UnsafeMutableRawPointer?) {
    guard let state else {
        return
    }
    Unmanaged<ScheduleState>.fromOpaque(state).release()
}

private func scheduleOnRecord(
    _ state: UnsafeMutableRawPointer?, _ record: UnsafePointer<catraca_record>?,
    _ decision: UnsafeMutablePointer<catraca_decision>?
) -> Int32 {
    guard let state, let record, let decision else {
        return 1
    }
    let schedule = Unmanaged<ScheduleState>.fromOpaque(state).takeUnretainedValue()
    return schedule.decide(enrollid: record.pointee.enrollid, decision: decision)
}

/// The description handed to the host: allocated once and never freed, because it must outlive every
/// call (the header's ownership rule) and a Swift library is not unloaded.
private let scheduleDescriptor: UnsafeMutablePointer<catraca_plugin> = {
    let descriptor = UnsafeMutablePointer<catraca_plugin>.allocate(capacity: 1)
    descriptor.initialize(to: catraca_plugin(
        size: UInt32(MemoryLayout<catraca_plugin>.size),
        abi_version: UInt32(CATRACA_PLUGIN_ABI_VERSION),
        name: UnsafePointer(strdup("schedule")),
        version: UnsafePointer(strdup("1.0.0")),
        open: { openSchedule($0) },
        close: { closeSchedule($0) },
        on_register: nil,
        on_record: { scheduleOnRecord($0, $1, $2) },
        on_qrcode: nil,
        on_passage: nil,
        on_unauthorised_rotation: nil
    ))
    return descriptor
}()

/// The entry symbol the host looks up; declines hosts older than ABI 1.
@_cdecl("catraca_plugin_entry")
public func catracaPluginEntry(_ hostABIVersion: UInt32) -> UnsafePointer<catraca_plugin>? {
    hostABIVersion >= 1 ? UnsafePointer(scheduleDescriptor) : nil
}
