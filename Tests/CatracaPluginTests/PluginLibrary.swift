import CatracaPluginABI
import Foundation

/// An example plugin's shared library, loaded with dlopen from the build folder, as the plugin host does.
struct PluginLibrary {
    struct LoadError: Error, CustomStringConvertible {
        let description: String
    }

    let descriptor: UnsafePointer<catraca_plugin>

    /// Loads `lib<product>.so` from the folder of the running test binary (`.build/<configuration>/`).
    static func load(_ product: String) throws -> PluginLibrary {
        let folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let path = folder.appendingPathComponent("lib\(product).so").path
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown"
            throw LoadError(description: "dlopen \(path): \(reason); build it with `swift build --product \(product)`")
        }
        guard let symbol = dlsym(handle, CATRACA_PLUGIN_ENTRY_SYMBOL) else {
            throw LoadError(description: "\(path) has no \(CATRACA_PLUGIN_ENTRY_SYMBOL)")
        }

        typealias Entry = @convention(c) (UInt32) -> UnsafePointer<catraca_plugin>?
        let entry = unsafeBitCast(symbol, to: Entry.self)
        guard let descriptor = entry(UInt32(CATRACA_PLUGIN_ABI_VERSION)) else {
            throw LoadError(description: "\(path) declined ABI version \(CATRACA_PLUGIN_ABI_VERSION)")
        }
        return PluginLibrary(descriptor: descriptor)
    }

    var name: String {
        String(cString: descriptor.pointee.name)
    }
}

/// What a hook wrote into the decision the host owns, and what it returned.
struct Decision: Equatable {
    var status: Int32
    var access: Int32
    var message: String
    var enrollid: Int64
    var username: String

    static func allow(_ message: String = "") -> Decision {
        Decision(status: 0, access: Int32(CATRACA_ALLOW), message: message, enrollid: -1, username: "")
    }

    static func deny(_ message: String) -> Decision {
        Decision(status: 0, access: Int32(CATRACA_DENY), message: message, enrollid: -1, username: "")
    }

    static let abstain = Decision(status: 0, access: Int32(CATRACA_ABSTAIN), message: "", enrollid: -1, username: "")
}

/// One opened instance of a plugin on a fake host, with its hooks called as the plugin host calls them.
final class OpenedPlugin {
    let library: PluginLibrary
    let host: FakeHost
    private var state: UnsafeMutableRawPointer?

    init(_ library: PluginLibrary, host: FakeHost) throws {
        self.library = library
        self.host = host
        guard let state = library.descriptor.pointee.open!(host.table) else {
            throw PluginLibrary.LoadError(description: "\(library.name) did not open: \(host.messages)")
        }
        self.state = state
    }

    deinit {
        close()
    }

    func close() {
        if let state {
            library.descriptor.pointee.close!(state)
        }
        state = nil
    }

    func record(sn: String, enrollid: Int64, time: String = "2026-05-04 12:00:00") -> Decision {
        sn.withCString { sn in
            time.withCString { time in
                "{}".withCString { json in
                    var record = catraca_record(
                        size: UInt32(MemoryLayout<catraca_record>.size), sn: sn, enrollid: enrollid, time: time,
                        mode: 8, `inout`: 0, event: 0, verifymode: -1, name: nil, json: json)
                    return decide { library.descriptor.pointee.on_record!(state, &record, $0) }
                }
            }
        }
    }

    func qrcode(sn: String, code: String) -> Decision {
        sn.withCString { sn in
            code.withCString { code in
                var qrcode = catraca_qrcode(size: UInt32(MemoryLayout<catraca_qrcode>.size), sn: sn, code: code)
                return decide { library.descriptor.pointee.on_qrcode!(state, &qrcode, $0) }
            }
        }
    }

    /// A passage through turnstile T1 towards `side` ("entry", "exit", or nil when it did not turn).
    func passage(side: String?, enrollid: Int64, sn: String = "SN-GRANT") {
        withPassage(side: side, enrollid: enrollid, sn: sn) { library.descriptor.pointee.on_passage!(state, $0) }
    }

    func unauthorisedRotation(side: String) {
        withPassage(side: side, enrollid: -1, sn: nil) {
            library.descriptor.pointee.on_unauthorised_rotation!(state, $0)
        }
    }

    private func withPassage(
        side: String?, enrollid: Int64, sn: String?, _ call: (UnsafePointer<catraca_passage>) -> Void
    ) {
        let outcome = side == nil ? "not_turned" : (sn == nil ? "unauthorised_rotation" : "turned_a")
        let sideText = side.map { strdup($0) } ?? nil
        let snText = sn.map { strdup($0) } ?? nil
        defer {
            free(sideText)
            free(snText)
        }
        "T1".withCString { turnstile in
            outcome.withCString { outcome in
                "{}".withCString { json in
                    var passage = catraca_passage(
                        size: UInt32(MemoryLayout<catraca_passage>.size), turnstile: turnstile, outcome: outcome,
                        side: sideText, sn: snText, enrollid: enrollid, json: json)
                    call(&passage)
                }
            }
        }
    }

    /// Calls a hook with a decision filled as the host fills it: abstain, empty strings, defaults.
    private func decide(_ hook: (UnsafeMutablePointer<catraca_decision>) -> Int32) -> Decision {
        var decision = catraca_decision()
        decision.size = UInt32(MemoryLayout<catraca_decision>.size)
        decision.access = Int32(CATRACA_ABSTAIN)
        decision.text_color = -1
        decision.enrollid = -1

        let status = hook(&decision)
        return Decision(
            status: status, access: decision.access, message: text(of: &decision.message),
            enrollid: decision.enrollid, username: text(of: &decision.username))
    }

    private func text<Field>(of field: inout Field) -> String {
        withUnsafeBytes(of: &field) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
