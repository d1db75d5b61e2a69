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
//   CatracaStore      SQLite: schema, migrations, the group-commit writer, exports
//   CatracaMQTT       the MQTT upstream transport over libmosquitto (QoS 1, persistent session)
//   CatracaServer     sockets on an epoll event loop, connections, timers
//   CatracaDaemon     configuration and wiring
//   CatracaEmulator   emulated terminals over real sockets, for the emulator, the benchmark and tests
//   CatracaCLI        the operators' command line over the local HTTP API: grammar, client, output
//   catraca           the command line (daemon, export, terminals, terminal commands)
//   catraca-emulator  a terminal emulator that speaks the protocol over a real socket
//   catraca-bench     the benchmark executable
import PackageDescription

let package = Package(
    name: "Catraca",
    products: [
        .executable(name: "catraca", targets: ["catraca"]),
        .executable(name: "catraca-emulator", targets: ["catraca-emulator"]),
        .executable(name: "catraca-bench", targets: ["catraca-bench"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CMosquitto",
            path: "Sources/CMosquitto",
            pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"])]
        ),
        .target(name: "CSystem"),
        .target(name: "CatracaCore"),
        .target(name: "CatracaHTTP"),
        .target(name: "CatracaWebSocket", dependencies: ["CatracaHTTP", "CatracaCore"]),
        .target(name: "CatracaJSON"),
        .target(name: "CatracaTerminal", dependencies: ["CatracaCore", "CatracaJSON"]),
        .target(name: "CatracaStore", dependencies: ["CSQLite", "CatracaCore", "CatracaTerminal", "CatracaJSON"]),
        .target(name: "CatracaMQTT", dependencies: ["CMosquitto", "CatracaCore"]),
        .target(name: "CatracaServer", dependencies: ["CSystem", "CatracaCore", "CatracaHTTP", "CatracaWebSocket"]),
        .target(
            name: "CatracaDaemon",
            dependencies: ["CatracaCore", "CatracaJSON", "CatracaTerminal", "CatracaStore", "CatracaServer",
                           "CatracaWebSocket"]
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
            dependencies: ["CatracaEmulator", "CatracaCore", "CatracaServer", "CatracaMQTT"]
        ),
        .testTarget(name: "CatracaCoreTests", dependencies: ["CatracaCore"]),
        .testTarget(name: "CatracaHTTPTests", dependencies: ["CatracaHTTP"]),
        .testTarget(name: "CatracaWebSocketTests", dependencies: ["CatracaWebSocket", "CatracaHTTP", "CatracaCore"]),
        .testTarget(name: "CatracaJSONTests", dependencies: ["CatracaJSON"]),
        .testTarget(name: "CatracaTerminalTests", dependencies: ["CatracaTerminal", "CatracaJSON", "CatracaCore"]),
        .testTarget(name: "CatracaStoreTests", dependencies: ["CatracaStore", "CatracaTerminal", "CatracaCore"]),
        .testTarget(name: "CatracaMQTTTests", dependencies: ["CatracaMQTT", "CMosquitto", "CatracaCore"]),
        .testTarget(name: "CatracaServerTests", dependencies: ["CatracaServer", "CatracaCore"]),
        .testTarget(name: "CatracaCLITests", dependencies: ["CatracaCLI", "CatracaJSON", "CatracaHTTP"]),
        .testTarget(
            name: "CatracaEmulatorTests",
            dependencies: ["CatracaEmulator", "CatracaJSON", "CatracaCore", "CatracaServer", "CatracaHTTP"]
        ),
        .testTarget(
            name: "CatracaDaemonTests",
            dependencies: ["CatracaDaemon", "CatracaServer", "CatracaCore", "CatracaStore", "CatracaEmulator"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
