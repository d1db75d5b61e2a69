// swift-tools-version:6.0
//
// Catraca: the access-control cabinet daemon for Evo Facial terminals and turnstiles.
//
// The targets are layered so that each can be tested without the one below it:
//
//   CatracaCore       logging, clocks, site time: shared vocabulary, no I/O
//   CatracaHTTP       I/O-free HTTP/1.1 request parser and response writer
//   CatracaWebSocket  I/O-free RFC 6455 handshake, frame codec and connection state machine
//   CatracaJSON       I/O-free lenient JSON reader and writer (depth limit, firmware quirks)
//   CatracaTerminal   I/O-free terminal protocol: messages, records, the terminal session
//   CatracaTurnstile  I/O-free passage joiner: grants and turnstile rotations joined into passages
//   CatracaIntercom   I/O-free intercom signaling: phones' registration, calls rung, answered, relayed, ended
//   CatracaStore      SQLite: schema, migrations, the group-commit writer, exports
//   CatracaMQTT       the MQTT upstream transport over libmosquitto (QoS 1, persistent session)
//   CatracaServer     sockets on an epoll event loop, connections, timers
//   CatracaGPIO       turnstile pulses: libgpiod v1 input, a simulated input, the I/O-free pulse filter
//   CatracaUpstream   the outbox's forwarder (I/O-free) and its pumps, the HTTP transport
//   CatracaPlugins    I/O-free plugin wire: frames, hook calls, decisions' composition, resend memory
//   CatracaDaemon     configuration and wiring
//   CatracaEmulator   emulated terminals over real sockets, for the emulator, the benchmark and tests
//   CatracaCLI        the operators' command line over the local HTTP API: grammar, client, output
//   catraca           the command line (daemon, export, terminals, terminal commands)
//   catraca-emulator  a terminal emulator that speaks the protocol over a real socket
//   catraca-bench     the benchmark executable
//   catraca-plugin-host  loads one plugin library and serves its hooks to the daemon over a socket
//   catraca-gpio-probe  watches a GPIO chip's turnstile lines and prints pulses (and latency figures)
//
// The example plugins (Plugins/) depend only on the plugin ABI header, never on the daemon's targets:
//
//   CatracaPluginABI       Plugins/include/catraca_plugin.h as a module (C and Swift)
//   CatracaPluginCommon    Plugins/common: a tiny JSON reader and text helpers for the C plugins
//   AntiPassback, VisitorQR (C), Schedule, Occupancy (Swift): one dynamic library product each,
//   built as .build/<configuration>/lib<product>.so
import PackageDescription

let package = Package(
    name: "Catraca",
    products: [
        .executable(name: "catraca", targets: ["catraca"]),
        .executable(name: "catraca-emulator", targets: ["catraca-emulator"]),
        .executable(name: "catraca-bench", targets: ["catraca-bench"]),
        .executable(name: "catraca-gpio-probe", targets: ["catraca-gpio-probe"]),
        .library(name: "anti-passback", type: .dynamic, targets: ["AntiPassback"]),
        .library(name: "visitor-qr", type: .dynamic, targets: ["VisitorQR"]),
        .library(name: "schedule", type: .dynamic, targets: ["Schedule"]),
        .library(name: "occupancy", type: .dynamic, targets: ["Occupancy"]),
        .executable(name: "catraca-plugin-host", targets: ["catraca-plugin-host"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CGPIOD",
            path: "Sources/CGPIOD",
            pkgConfig: "libgpiod",
            providers: [.apt(["libgpiod-dev"])]
        ),
        .systemLibrary(
            name: "CMosquitto",
            path: "Sources/CMosquitto",
            pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"])]
        ),
        .target(name: "CSystem"),
        .systemLibrary(name: "CatracaPluginABI", path: "Plugins/include"),
        // C targets cannot take a header from a system-library target, so they reach Plugins/include by path.
        .target(name: "CatracaPluginCommon", path: "Plugins/common", cSettings: [.headerSearchPath("../include")]),
        .target(
            name: "AntiPassback",
            dependencies: ["CatracaPluginCommon"],
            path: "Plugins/anti-passback",
            publicHeadersPath: ".",  // a plugin has no headers of its own; its only export is the entry symbol
            cSettings: [.headerSearchPath("../include")]
        ),
        .target(
            name: "VisitorQR",
            dependencies: ["CatracaPluginCommon"],
            path: "Plugins/visitor-qr",
            publicHeadersPath: ".",  // a plugin has no headers of its own; its only export is the entry symbol
            cSettings: [.headerSearchPath("../include")]
        ),
        .target(name: "Schedule", dependencies: ["CatracaPluginABI"], path: "Plugins/schedule"),
        .target(name: "Occupancy", dependencies: ["CatracaPluginABI"], path: "Plugins/occupancy"),
        .target(name: "CatracaCore"),
        .target(name: "CatracaHTTP"),
        .target(name: "CatracaWebSocket", dependencies: ["CatracaHTTP", "CatracaCore"]),
        .target(name: "CatracaJSON"),
        .target(name: "CatracaTerminal", dependencies: ["CatracaCore", "CatracaJSON"]),
        .target(name: "CatracaTurnstile", dependencies: ["CatracaCore", "CatracaTerminal"]),
        .target(name: "CatracaIntercom", dependencies: ["CatracaCore", "CatracaJSON", "CatracaWebSocket"]),
        .target(name: "CatracaPlugins", dependencies: ["CatracaCore", "CatracaJSON", "CatracaTerminal"]),
        .target(name: "CatracaStore", dependencies: ["CSQLite", "CatracaCore", "CatracaTerminal", "CatracaJSON"]),
        .target(name: "CatracaUpstream", dependencies: ["CatracaCore", "CatracaStore", "CatracaHTTP", "CatracaJSON"]),
        .target(name: "CatracaMQTT", dependencies: ["CMosquitto", "CatracaCore", "CatracaStore"]),
        .target(name: "CatracaServer", dependencies: ["CSystem", "CatracaCore", "CatracaHTTP", "CatracaWebSocket"]),
        .target(name: "CatracaGPIO", dependencies: ["CGPIOD", "CSystem", "CatracaCore", "CatracaServer"]),
        .target(
            name: "CatracaDaemon",
            dependencies: ["CatracaCore", "CatracaJSON", "CatracaTerminal", "CatracaStore", "CatracaServer",
                           "CatracaWebSocket", "CatracaUpstream", "CatracaMQTT", "CatracaTurnstile", "CatracaGPIO",
                           "CatracaIntercom", "CatracaPlugins"]
        ),
        .target(
            name: "CatracaEmulator",
            dependencies: ["CatracaCore", "CatracaJSON", "CatracaServer", "CatracaWebSocket", "CatracaHTTP"],
            exclude: ["README.md"]
        ),
        .target(
            name: "CatracaCLI",
            dependencies: ["CatracaJSON", "CatracaHTTP", "CatracaCore", "CatracaDaemon"]
        ),
        .executableTarget(
            name: "catraca",
            dependencies: ["CatracaCLI", "CatracaDaemon", "CatracaStore", "CatracaCore"]
        ),
        .executableTarget(
            name: "catraca-emulator",
            dependencies: ["CatracaEmulator", "CatracaCore", "CatracaServer"]
        ),
        .executableTarget(
            name: "catraca-bench",
            dependencies: ["CatracaEmulator", "CatracaCore", "CatracaServer", "CatracaDaemon", "CatracaMQTT",
                           "CatracaStore"]
        ),
        .executableTarget(
            // The Swift runtime is linked dynamically (the default on Linux), so a plugin written in Swift
            // shares this process's runtime instead of bringing a second one.
            name: "catraca-plugin-host",
            dependencies: ["CatracaPluginABI", "CSQLite", "CatracaPlugins", "CatracaJSON", "CatracaCore"],
            linkerSettings: [.linkedLibrary("dl")]
        ),
        .executableTarget(
            name: "catraca-gpio-probe",
            dependencies: ["CatracaGPIO", "CatracaCore", "CatracaServer"]
        ),
        .testTarget(name: "CatracaCoreTests", dependencies: ["CatracaCore"]),
        // dlopens the plugin products above; it does not link them.
        .testTarget(name: "CatracaPluginTests", dependencies: ["CatracaPluginABI"]),
        .testTarget(name: "CatracaHTTPTests", dependencies: ["CatracaHTTP"]),
        .testTarget(name: "CatracaWebSocketTests", dependencies: ["CatracaWebSocket", "CatracaHTTP", "CatracaCore"]),
        .testTarget(name: "CatracaJSONTests", dependencies: ["CatracaJSON"]),
        .testTarget(name: "CatracaTerminalTests", dependencies: ["CatracaTerminal", "CatracaJSON", "CatracaCore"]),
        .testTarget(
            name: "CatracaTurnstileTests",
            dependencies: ["CatracaTurnstile", "CatracaTerminal", "CatracaCore"]
        ),
        .testTarget(name: "CatracaIntercomTests", dependencies: ["CatracaIntercom", "CatracaJSON", "CatracaCore"]),
        .testTarget(name: "CatracaStoreTests", dependencies: ["CatracaStore", "CatracaTerminal", "CatracaCore"]),
        .testTarget(name: "CatracaUpstreamTests",
                    dependencies: ["CatracaUpstream", "CatracaStore", "CatracaCore", "CatracaTerminal"]),
        .testTarget(
            name: "CatracaPluginsTests",
            dependencies: ["CatracaPlugins", "CatracaTerminal", "CatracaJSON", "CatracaCore"]
        ),
        .testTarget(
            name: "CatracaMQTTTests",
            dependencies: ["CatracaMQTT", "CMosquitto", "CatracaCore", "CatracaStore"]
        ),
        .testTarget(name: "CatracaServerTests", dependencies: ["CatracaServer", "CatracaCore"]),
        .testTarget(name: "CatracaGPIOTests", dependencies: ["CatracaGPIO", "CatracaCore", "CatracaServer"]),
        .testTarget(name: "CatracaCLITests", dependencies: ["CatracaCLI", "CatracaJSON", "CatracaHTTP"]),
        .testTarget(
            name: "CatracaEmulatorTests",
            dependencies: ["CatracaEmulator", "CatracaJSON", "CatracaCore", "CatracaServer", "CatracaHTTP"]
        ),
        .testTarget(
            name: "CatracaDaemonTests",
            dependencies: ["CatracaDaemon", "CatracaServer", "CatracaCore", "CatracaStore", "CatracaEmulator",
                           "CatracaTerminal", "CatracaTurnstile", "CatracaGPIO", "CatracaMQTT"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
