import CatracaCore
import CatracaTerminal

/// SIGHUP: the settings that can change while terminals stay connected, and the hooks of later parts.
extension Daemon {
    /// Runs `hook` with the reloaded configuration on every reload, on the event loop, after the daemon's
    /// own settings are applied (plugins reload theirs here). A hook that throws is logged and the next runs.
    /// Add hooks before `start`.
    public func addReloadHook(_ name: String, _ hook: @escaping (Configuration) throws -> Void) {
        reloadHooks.append((name, hook))
    }

    /// Applies what can change live from `newConfiguration` and logs one line with what changed and what
    /// waits for a restart. Safe to call from any thread; the work happens on the event loop.
    public func reload(_ newConfiguration: Configuration) {
        guard let loop else { return }
        loop.execute { [self] in applyReload(newConfiguration) }
    }

    /// A config file that no longer reads: logged, and the running configuration kept.
    public func refuseReload(_ error: Error) {
        logger.error("configuration not reloaded; the running one is kept", ["error": "\(error)"])
        serviceManagerNotifier.status("configuration not reloaded: \(error)")
    }

    private func applyReload(_ newConfiguration: Configuration) {
        serviceManagerNotifier.reloading()
        var changes = ConfigurationChanges(from: configuration, to: newConfiguration)
        if logLevel == nil, let index = changes.live.firstIndex(of: "log.level") {
            changes.live.remove(at: index)
            changes.needRestart.append("log.level")
        }
        replaceConfiguration(ConfigurationChanges.applyingLive(newConfiguration, to: configuration))
        if let logLevel { logLevel.level = configuration.log.level }
        if let gateway {
            gateway.sessionConfiguration = sessionConfiguration
            gateway.commandConfiguration = commandConfiguration
            gateway.registrationActions = configuration.commands.onRegistration
            closeTerminalsNoLongerAllowed(gateway)
        }
        let failedHooks = runReloadHooks()

        var context: LogMetadata = [
            "changed": changes.live.isEmpty ? "nothing" : changes.live.joined(separator: ","),
            "needs_restart": changes.needRestart.isEmpty ? "nothing" : changes.needRestart.joined(separator: ","),
        ]
        if !failedHooks.isEmpty { context["failed_hooks"] = failedHooks.joined(separator: ",") }
        let level: LogLevel = changes.needRestart.isEmpty && failedHooks.isEmpty ? .info : .warning
        logger.log(level, "configuration reloaded", context)
        serviceManagerNotifier.ready(status: "configuration reloaded; \(connectedTerminalCount) terminals connected")
    }

    private func runReloadHooks() -> [String] {
        var failed: [String] = []
        for (name, hook) in reloadHooks {
            do {
                try hook(configuration)
            } catch {
                logger.error("reload hook failed", ["hook": name, "error": "\(error)"])
                failed.append(name)
            }
        }
        return failed
    }

    /// Connections already registered were let in under the old allow-list: those it no longer lets in are
    /// closed (policy violation), so that removing a terminal from the list takes effect at once.
    private func closeTerminalsNoLongerAllowed(_ gateway: TerminalGateway) {
        guard let allowList = gateway.sessionConfiguration.allowList else { return }
        for terminal in gateway.directory.all
        where allowList.decision(sn: terminal.sn, peerAddress: terminal.address) != .allowed {
            logger.info("terminal closed: no longer allowed after reload", ["sn": terminal.sn,
                                                                            "address": terminal.address])
            gateway.connections[terminal.connection.rawValue]?.close(code: 1008, reason: "no longer allowed")
        }
    }
}
