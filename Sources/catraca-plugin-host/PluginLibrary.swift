#if canImport(Glibc)
import Glibc
#endif
import CatracaPluginABI
import CatracaPlugins

/// One plugin library, loaded with `dlopen` and checked against the ABI this host speaks.
struct PluginLibrary {
    let plugin: UnsafePointer<catraca_plugin>
    let name: String
    let version: String
    let abiVersion: UInt32

    static let hostABIVersion = UInt32(CATRACA_PLUGIN_ABI_VERSION)

    /// Loads `path`; the error is the line the daemon logs, naming what failed and what to do.
    static func load(path: String) -> Result<PluginLibrary, LoadFailure> {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown dlopen error"
            return .failure(LoadFailure("not loadable as a shared library: \(reason)"))
        }
        _ = dlerror()
        guard let symbol = dlsym(handle, CATRACA_PLUGIN_ENTRY_SYMBOL) else {
            return .failure(LoadFailure("has no \(CATRACA_PLUGIN_ENTRY_SYMBOL) symbol; export it as in "
                                        + "Plugins/include/catraca_plugin.h (extern \"C\" or @_cdecl)"))
        }
        typealias Entry = @convention(c) (UInt32) -> UnsafePointer<catraca_plugin>?
        let entry = unsafeBitCast(symbol, to: Entry.self)
        guard let plugin = entry(hostABIVersion) else {
            return .failure(LoadFailure("\(CATRACA_PLUGIN_ENTRY_SYMBOL) returned NULL: the plugin declined host ABI "
                                        + "version \(hostABIVersion)"))
        }
        return check(plugin)
    }

    private static func check(_ plugin: UnsafePointer<catraca_plugin>) -> Result<PluginLibrary, LoadFailure> {
        let abi = plugin.pointee.abi_version
        guard abi >= 1, abi <= hostABIVersion else {
            return .failure(LoadFailure("plugin ABI version \(abi), host ABI version \(hostABIVersion): this host "
                                        + "loads versions 1 to \(hostABIVersion); rebuild the plugin against this "
                                        + "host's catraca_plugin.h or upgrade Catraca"))
        }
        let headerSize = MemoryLayout<catraca_plugin>.offset(of: \catraca_plugin.open)!
        guard Int(plugin.pointee.size) >= headerSize else {
            return .failure(LoadFailure("plugin struct size \(plugin.pointee.size) is smaller than its own "
                                        + "header; set size = sizeof(catraca_plugin)"))
        }
        guard let namePointer = plugin.pointee.name, !String(cString: namePointer).isEmpty else {
            return .failure(LoadFailure("plugin has no name; set catraca_plugin.name"))
        }
        let version = plugin.pointee.version.map { String(cString: $0) } ?? ""
        return .success(PluginLibrary(plugin: plugin, name: String(cString: namePointer), version: version,
                                      abiVersion: abi))
    }

    /// Whether the plugin's struct, as it was built, reaches the field at `offset` (an older plugin's struct
    /// ends before the hooks added later: they read as absent).
    private func has(_ keyPath: PartialKeyPath<catraca_plugin>) -> Bool {
        guard let offset = MemoryLayout<catraca_plugin>.offset(of: keyPath) else { return false }
        return Int(plugin.pointee.size) >= offset + MemoryLayout<UnsafeRawPointer>.size
    }

    var open: (@convention(c) (UnsafePointer<catraca_host>?) -> UnsafeMutableRawPointer?)? {
        has(\catraca_plugin.open) ? plugin.pointee.open : nil
    }

    var close: (@convention(c) (UnsafeMutableRawPointer?) -> Void)? {
        has(\catraca_plugin.close) ? plugin.pointee.close : nil
    }

    var onRegister: (@convention(c) (UnsafeMutableRawPointer?, UnsafePointer<catraca_registration>?,
                                     UnsafeMutablePointer<catraca_decision>?) -> Int32)? {
        has(\catraca_plugin.on_register) ? plugin.pointee.on_register : nil
    }

    var onRecord: (@convention(c) (UnsafeMutableRawPointer?, UnsafePointer<catraca_record>?,
                                   UnsafeMutablePointer<catraca_decision>?) -> Int32)? {
        has(\catraca_plugin.on_record) ? plugin.pointee.on_record : nil
    }

    var onQRCode: (@convention(c) (UnsafeMutableRawPointer?, UnsafePointer<catraca_qrcode>?,
                                   UnsafeMutablePointer<catraca_decision>?) -> Int32)? {
        has(\catraca_plugin.on_qrcode) ? plugin.pointee.on_qrcode : nil
    }

    var onPassage: (@convention(c) (UnsafeMutableRawPointer?, UnsafePointer<catraca_passage>?) -> Void)? {
        has(\catraca_plugin.on_passage) ? plugin.pointee.on_passage : nil
    }

    var onUnauthorisedRotation: (@convention(c) (UnsafeMutableRawPointer?, UnsafePointer<catraca_passage>?) -> Void)? {
        has(\catraca_plugin.on_unauthorised_rotation) ? plugin.pointee.on_unauthorised_rotation : nil
    }

    /// The hooks the plugin has, for the daemon: it calls only these.
    var hooks: Set<PluginHook> {
        var hooks: Set<PluginHook> = []
        if onRegister != nil { hooks.insert(.register) }
        if onRecord != nil { hooks.insert(.record) }
        if onQRCode != nil { hooks.insert(.qrcode) }
        if onPassage != nil { hooks.insert(.passage) }
        if onUnauthorisedRotation != nil { hooks.insert(.unauthorisedRotation) }
        return hooks
    }
}

/// Why a library was not loaded.
struct LoadFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
