import Foundation

extension Configuration {
    /// Site-rule plugins (`Plugins/README.md`): where they are, in which order they decide, how long a call may
    /// take and what a call that gave no decision counts as.
    public struct Plugins: Equatable, Sendable {
        /// The folder whose `*.so` files are loaded, one plugin host each; nil is `defaultDirectory`.
        public var directory: String?
        /// Plugin names (or library file names without `lib` and `.so`) in the order their decisions compose;
        /// plugins not listed come after, by name.
        public var order: [String] = []
        /// How long one hook call may take before its host is killed and restarted and the fallback applies.
        public var deadlineMilliseconds = 200.0
        /// `deny` or `allow`: what a call that gave no decision counts as (see `PluginFallback`).
        public var fallback = "deny"
        /// Shown on the terminal when the `deny` fallback refuses.
        public var fallbackMessage = "Try again"
        /// Shown when no plugin recognises a QR code.
        public var unknownQRCodeMessage = "Unknown QR code"
        /// Each plugin's own settings by plugin name, as JSON object texts (`plugins.settings.<name>`).
        public var settings: [String: String] = [:]
        /// How long a record's decision is kept for the terminal's resends of it.
        public var recordMemorySeconds = 3_600.0
        /// How long a QR code's decision answers the same code read again at the same terminal.
        public var qrcodeResendSeconds = 10.0
        /// The `catraca-plugin-host` executable; nil is the one beside the running `catraca`.
        public var hostPath: String?

        /// The plugin folder of a `catraca` whose folder is not `PREFIX/bin` nor a SwiftPM build folder.
        public static let installedDirectory = "/usr/lib/catraca/plugins"

        /// The plugin folder for the running `catraca` (`defaultDirectory(executableFolder:)`).
        public static var defaultDirectory: String {
            defaultDirectory(executableFolder: Plugins.executableFolder)
        }

        /// The plugin folder that goes with a `catraca` in `executableFolder`, where `scripts/install.sh` puts
        /// it: `PREFIX/bin` → `PREFIX/lib/catraca/plugins` (`/usr/local/bin` → `/usr/local/lib/catraca/plugins`,
        /// `/usr/bin` → `/usr/lib/catraca/plugins`); a SwiftPM build folder (`.build/debug`) is itself, where
        /// `swift build` puts the example plugins (`lib<name>.so`), so that a development run loads them without
        /// configuration; any other folder gets `installedDirectory`.
        public static func defaultDirectory(executableFolder: String) -> String {
            // A build folder holds the example plugins too; they become rules only when someone puts them in
            // its `plugins` folder, as on an installed box.
            if executableFolder.contains("/.build/") {
                return (executableFolder.hasSuffix("/") ? String(executableFolder.dropLast()) : executableFolder)
                    + "/plugins"
            }
            let folder = executableFolder.hasSuffix("/") ? String(executableFolder.dropLast()) : executableFolder
            guard (folder as NSString).lastPathComponent == "bin" else { return installedDirectory }
            let prefix = (folder as NSString).deletingLastPathComponent
            return (prefix == "/" ? "" : prefix) + "/lib/catraca/plugins"
        }

        /// The folder of the running executable.
        static var executableFolder: String {
            let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0]
            return (path as NSString).deletingLastPathComponent
        }

        /// The folder actually scanned.
        public var resolvedDirectory: String { directory ?? Plugins.defaultDirectory }

        /// The host executable actually started.
        public var resolvedHostPath: String { hostPath ?? Plugins.executableFolder + "/catraca-plugin-host" }
    }
}
