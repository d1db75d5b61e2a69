#if canImport(Glibc)
import Glibc
#endif
import CatracaPluginABI
import CatracaJSON
import CatracaPlugins

/// Calls one hook of an opened plugin with the arguments of a call frame and reads its decision.
struct HookInvocation {
    let library: PluginLibrary
    let state: UnsafeMutableRawPointer?

    func call(_ hook: PluginHook, arguments: JSONValue) -> PluginAnswer {
        let strings = CStringArena()
        var decision = HookInvocation.freshDecision()
        let status: Int32
        switch hook {
        case .register:
            guard let function = library.onRegister else { return .decided(.abstain) }
            var event = catraca_registration(
                size: UInt32(MemoryLayout<catraca_registration>.size), sn: strings.make(arguments["sn"]?.string),
                address: strings.make(arguments["address"]?.string),
                devinfo_json: strings.make(arguments["devinfo_json"]?.string))
            status = function(state, &event, &decision)
        case .record:
            guard let function = library.onRecord else { return .decided(.abstain) }
            var event = catraca_record()
            event.size = UInt32(MemoryLayout<catraca_record>.size)
            event.sn = strings.make(arguments["sn"]?.string)
            event.enrollid = arguments["enrollid"]?.int64 ?? -1
            event.time = strings.make(arguments["time"]?.string)
            event.mode = Int32(arguments["mode"]?.int ?? 0)
            event.`inout` = Int32(arguments["inout"]?.int ?? 0)
            event.event = Int32(arguments["event"]?.int ?? 0)
            event.verifymode = Int32(arguments["verifymode"]?.int ?? -1)
            event.name = strings.make(arguments["name"]?.string)
            event.json = strings.make(arguments["json"]?.string)
            status = function(state, &event, &decision)
        case .qrcode:
            guard let function = library.onQRCode else { return .decided(.abstain) }
            var event = catraca_qrcode(size: UInt32(MemoryLayout<catraca_qrcode>.size),
                                       sn: strings.make(arguments["sn"]?.string),
                                       code: strings.make(arguments["code"]?.string))
            status = function(state, &event, &decision)
        case .passage, .unauthorisedRotation:
            let function = hook == .passage ? library.onPassage : library.onUnauthorisedRotation
            guard let function else { return .decided(.abstain) }
            var event = catraca_passage(
                size: UInt32(MemoryLayout<catraca_passage>.size),
                turnstile: strings.make(arguments["turnstile"]?.string),
                outcome: strings.make(arguments["outcome"]?.string), side: strings.make(arguments["side"]?.string),
                sn: strings.make(arguments["sn"]?.string), enrollid: arguments["enrollid"]?.int64 ?? -1,
                json: strings.make(arguments["json"]?.string))
            function(state, &event)
            return .decided(.abstain)
        }
        guard status == 0 else { return .failed(reason: "\(hook.rawValue) returned \(status)") }
        return HookInvocation.read(decision)
    }

    /// ABSTAIN and empty strings, as the header promises before each call.
    static func freshDecision() -> catraca_decision {
        var decision = catraca_decision()
        decision.size = UInt32(MemoryLayout<catraca_decision>.size)
        decision.access = Int32(CATRACA_ABSTAIN)
        decision.fontsize = 0
        decision.text_color = -1
        decision.enrollid = -1
        return decision
    }

    static func read(_ decision: catraca_decision) -> PluginAnswer {
        guard let access = PluginDecision.Access(rawValue: Int(decision.access)) else {
            return .failed(reason: "decision access \(decision.access) is not -1, 0 or 1")
        }
        var copy = decision
        let message = withUnsafeBytes(of: &copy.message) { text($0) }
        let username = withUnsafeBytes(of: &copy.username) { text($0) }
        return .decided(PluginDecision(
            access: access, message: message.isEmpty ? nil : message,
            fontsize: decision.fontsize == 0 ? nil : Int(decision.fontsize),
            textColor: decision.text_color < 0 ? nil : Int(decision.text_color & 0xFFFFFF),
            enrollid: decision.enrollid < 0 ? nil : decision.enrollid, username: username.isEmpty ? nil : username))
    }

    /// A fixed-size C string field: up to its first NUL, or all of it when the plugin left none.
    private static func text(_ bytes: UnsafeRawBufferPointer) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.count
        return String(decoding: bytes[0..<end], as: UTF8.self)
    }
}

/// C strings that live until the end of one hook call.
final class CStringArena {
    private var pointers: [UnsafeMutablePointer<CChar>] = []

    func make(_ text: String?) -> UnsafePointer<CChar>? {
        guard let text, let pointer = strdup(text) else { return nil }
        pointers.append(pointer)
        return UnsafePointer(pointer)
    }

    deinit { pointers.forEach { free($0) } }
}
