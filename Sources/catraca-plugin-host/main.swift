#if canImport(Glibc)
import Glibc
#endif
import CatracaPluginABI
import CatracaPlugins
import Foundation

// catraca-plugin-host: loads one plugin library and serves its hooks to the daemon, one call at a time, over
// the socket the daemon passes as descriptor 3 (frames: Plugins/README.md, "Frame protocol"). One host per
// plugin, so that a plugin that crashes or hangs costs only its own calls.

let usage = """
    usage: catraca-plugin-host --plugin LIBRARY
        Started by the catraca daemon, one per plugin, with its socket as descriptor 3; not run by hand.
    """

/// Exit status after a `refused` frame: the daemon does not restart a host that exits with it.
let refusedStatus: Int32 = 3

func fail(_ text: String) -> Never {
    FileHandle.standardError.write(Data(("catraca-plugin-host: " + text + "\n").utf8))
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 2, arguments[0] == "--plugin" else { fail(usage) }
guard HostChannel.isConnected else { fail("descriptor 3 is not the daemon's socket\n" + usage) }
signal(SIGPIPE, SIG_IGN)

let channel = HostChannel()
let library: PluginLibrary
switch PluginLibrary.load(path: arguments[1]) {
case .success(let loaded):
    library = loaded
case .failure(let failure):
    channel.write(.refused(reason: failure.reason))
    exit(refusedStatus)
}
channel.write(.hello(name: library.name, version: library.version, abiVersion: Int(library.abiVersion),
                     hooks: library.hooks))

func serve() throws {
    guard let first = try channel.read() else { return }
    guard case .open(let settingsJSON, let storePath, let timeZoneName)? = PluginDaemonMessage(frame: first) else {
        throw HostError.channel("the first frame is not open")
    }
    let store: KeyValueStore
    do {
        store = try KeyValueStore(path: storePath)
    } catch {
        channel.write(.refused(reason: "its key-value store cannot be opened: \(error)"))
        exit(refusedStatus)
    }
    let timeZone = timeZoneName.flatMap(TimeZone.init(identifier:)) ?? .current
    let services = HostServices(channel: channel, settingsJSON: settingsJSON, store: store, timeZone: timeZone)
    let state = library.open?(services.host)
    if library.open != nil && state == nil {
        channel.write(.refused(reason: "open returned NULL: the plugin could not start (its log lines say why)"))
        exit(refusedStatus)
    }
    channel.write(.opened)

    let invocation = HookInvocation(library: library, state: state)
    while let frame = try channel.read() {
        guard case .call(let id, let hook, let callArguments)? = PluginDaemonMessage(frame: frame) else { continue }
        channel.write(.answer(id: id, invocation.call(hook, arguments: callArguments)))
    }
    library.close?(state)
    withExtendedLifetime(services) {}
}

do {
    try serve()
} catch {
    fail("\(error)")
}
exit(0)
