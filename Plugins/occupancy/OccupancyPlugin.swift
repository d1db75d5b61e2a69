// occupancy: counts the people inside from passages and refuses entries when the site is full.
//
// Settings: see OccupancySettings. Every passage towards "entry" adds one and every one towards "exit"
// takes one (never below zero), unauthorised rotations included: they are people going through all the
// same. The count lives in the plugin's store, so it survives restarts. A record from an entry terminal
// is refused with "Full (50/50)" when the count has reached the capacity, and otherwise allowed with
// "Inside: 12/50"; records from other terminals get no opinion. The count moves on passages, not on
// records, so a person who is let in but turns back is not counted.
//
// Build outside the package (from the repository's top):
//     swiftc -emit-library -module-name Occupancy -I Plugins/include Plugins/occupancy/*.swift -o liboccupancy.so
import CatracaPluginABI

#if canImport(Glibc)
import Glibc
#endif

/// One opened instance: the host table and the settings.
final class OccupancyState {
    let host: OccupancyHost
    let capacity: Int
    let entryTerminals: Set<String>

    init(host: OccupancyHost, settings: OccupancySettings) {
        self.host = host
        self.capacity = settings.capacity
        self.entryTerminals = Set(settings.entry)
    }

    /// Decides one record; returns 0, or 1 when the count could not be read.
    func decide(sn: String, decision: UnsafeMutablePointer<catraca_decision>) -> Int32 {
        guard entryTerminals.contains(sn) else {
            return 0
        }
        guard let inside = host.storedInside() else {
            return 1
        }

        let count = OccupancyCount(inside: inside, capacity: capacity)
        decision.write(access: Int32(count.isFull ? CATRACA_DENY : CATRACA_ALLOW), message: count.message)
        return 0
    }

    /// Moves the count for a passage towards `side` ("entry" or "exit").
    func count(side: String) {
        guard let inside = host.storedInside() else {
            return
        }
        let count = OccupancyCount(inside: inside, capacity: capacity).after(side: side)
        if count.inside != inside {
            _ = host.storeInside(count.inside)
        }
    }
}

private func openOccupancy(_ table: UnsafePointer<catraca_host>?) -> UnsafeMutableRawPointer? {
    guard let table else {
        return nil
    }
    let host = OccupancyHost(host: table)
    do {
        let state = OccupancyState(host: host, settings: try OccupancySettings.decode(host.settingsJSON()))
        return Unmanaged.passRetained(state).toOpaque()
    } catch {
        host.log(Int32(CATRACA_LOG_ERROR), "\(error)")
        return nil
    }
}

private func closeOccupancy(_ state: UnsafeMutableRawPointer?) {
    guard let state else {
        return
    }
    Unmanaged<OccupancyState>.fromOpaque(state).release()
}

private func occupancyOnRecord(
    _ state: UnsafeMutableRawPointer?, _ record: UnsafePointer<catraca_record>?,
    _ decision: UnsafeMutablePointer<catraca_decision>?
) -> Int32 {
    guard let state, let record, let decision, let sn = record.pointee.sn else {
        return 1
    }
    let occupancy = Unmanaged<OccupancyState>.fromOpaque(state).takeUnretainedValue()
    return occupancy.decide(sn: String(cString: sn), decision: decision)
}

private func occupancyOnPassage(_ state: UnsafeMutableRawPointer?, _ passage: UnsafePointer<catraca_passage>?) {
    guard let state, let passage, let side = passage.pointee.side else {
        return
    }
    let occupancy = Unmanaged<OccupancyState>.fromOpaque(state).takeUnretainedValue()
    occupancy.count(side: String(cString: side))
}

/// The description handed to the host: allocated once and never freed, because it must outlive every
/// call (the header's ownership rule) and a Swift library is not unloaded.
private let occupancyDescriptor: UnsafeMutablePointer<catraca_plugin> = {
    let descriptor = UnsafeMutablePointer<catraca_plugin>.allocate(capacity: 1)
    descriptor.initialize(to: catraca_plugin(
        size: UInt32(MemoryLayout<catraca_plugin>.size),
        abi_version: UInt32(CATRACA_PLUGIN_ABI_VERSION),
        name: UnsafePointer(strdup("occupancy")),
        version: UnsafePointer(strdup("1.0.0")),
        open: { openOccupancy($0) },
        close: { closeOccupancy($0) },
        on_register: nil,
        on_record: { occupancyOnRecord($0, $1, $2) },
        on_qrcode: nil,
        on_passage: { occupancyOnPassage($0, $1) },
        on_unauthorised_rotation: { occupancyOnPassage($0, $1) }
    ))
    return descriptor
}()

/// The entry symbol the host looks up; declines hosts older than ABI 1.
@_cdecl("catraca_plugin_entry")
public func catracaPluginEntry(_ hostABIVersion: UInt32) -> UnsafePointer<catraca_plugin>? {
    hostABIVersion >= 1 ? UnsafePointer(occupancyDescriptor) : nil
}
