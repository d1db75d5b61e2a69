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

        /// Where packages install plugins and integrators drop theirs.
        public static let installedDirectory = "/usr/lib/catraca/plugins"

        /// `installedDirectory`, except for a `catraca` run from a SwiftPM build folder (`.build/debug`): that
        /// folder, where `swift build` puts the example plugins (`lib<name>.so`), so that a development run
        /// loads them without configuration.
        public static var defaultDirectory: String {
            let executable = Plugins.executableFolder
            if executable.contains("/.build/") { return executable }
            return installedDirectory
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
