import CatracaCore
import CatracaJSON
import CatracaServer
import CatracaTerminal

extension TerminalGateway: TerminalCommander {
    @discardableResult
    func execute(_ command: TerminalCommand, sn: String, replyTimeout: TimeSpan?,
                 completion: @escaping (Result<CommandOutcome, CommandFailure>) -> Void) -> CommandTicket? {
        execute(command, sn: sn, replyTimeout: replyTimeout, doorOpener: .operatorRequest, completion: completion)
    }

    /// Runs `command` at terminal `sn`; an `opendoor` that succeeds is a grant opened by `doorOpener`.
    @discardableResult
    private func execute(_ command: TerminalCommand, sn: String, replyTimeout: TimeSpan?,
                         doorOpener: TurnstileService.DoorOpener,
                         completion: @escaping (Result<CommandOutcome, CommandFailure>) -> Void) -> CommandTicket? {
        guard let commands = commandRunner(for: sn) else {
            let failure: CommandFailure = knownSerialNumbers.contains(sn) ? .terminalOffline(sn: sn)
                : .terminalUnknown(sn: sn)
            metrics.countCommand(command.name, .failure(failure))
            completion(.failure(failure))
            return nil
        }
        let command = command.name == "enablewebrtc" ? intercom?.completing(command, sn: sn) ?? command : command
        let ticket = commands.execute(command, replyTimeout: replyTimeout) { [weak self] result in
            if command.name == "opendoor", case .success = result {
                self?.turnstiles?.doorOpened(sn: sn, by: doorOpener)
            }
            if command.name == "enablewebrtc", case .success(.replied(let reply)) = result,
               reply["result"]?.bool != false {
                self?.intercom?.terminalEnabled(sn: sn, command: command)
            }
            completion(result)
        }
        return ticket.map { CommandTicket(sn: sn, runner: commands.id, ticket: $0) }
    }

    /// A ticket of a connection that has gone since names nothing: its commands failed with it (and a new
    /// connection's queue numbers its tickets afresh, so the runner must be the same).
    func cancel(_ ticket: CommandTicket) {
        guard let commands = commandRunner(for: ticket.sn), commands.id == ticket.runner else { return }
        commands.cancel(ticket.ticket)
    }

    var connectedSerialNumbers: [String] { directory.all.map(\.sn) }

    func queuedCommandCount(sn: String) -> Int {
        commandRunner(for: sn)?.queue.count ?? 0
    }

    private func commandRunner(for sn: String) -> TerminalCommandRunner? {
        guard let id = directory.connection(for: sn) else { return nil }
        return connections[id.rawValue]?.commands
    }

    /// A plugin asked to open a door (`open_door`): the terminal's `opendoor`, its outcome logged.
    func openDoorForPlugin(sn: String, door: Int, plugin: String) {
        let command = TerminalCommand(name: "opendoor", fields: ["doornum": .integer(door)], expectation: .replyIfAny)
        execute(command, sn: sn, replyTimeout: nil, doorOpener: .plugin(plugin)) { [logger] result in
            switch result {
            case .success:
                logger.info("door opened for a plugin", ["plugin": plugin, "sn": sn, "door": "\(door)"])
            case .failure(let failure):
                logger.warning("door not opened for a plugin", ["plugin": plugin, "sn": sn, "door": "\(door)",
                                                                "error": failure.message])
            }
        }
    }

    // MARK: Registration actions

    /// A terminal has just registered: set its clock and pull its new records, as configured.
    func terminalRegistered(sn: String, commands: TerminalCommandRunner?) {
        guard let commands else { return }
        if registrationActions.setTime { setClock(sn: sn, commands: commands) }
        if registrationActions.pullNewLogs { pullNewLogs(sn: sn, commands: commands) }
    }

    private func setClock(sn: String, commands: TerminalCommandRunner) {
        switch clockSynchronization() {
        case .synchronised:
            break
        case .unsynchronised:
            logger.info("terminal clock not set: this box's clock is not synchronised (no NTP yet)", ["sn": sn])
            return
        case .unknown(let reason):
            logger.info("terminal clock not set: cannot tell whether this box's clock is synchronised",
                        ["sn": sn, "error": reason])
            return
        }

        let cloudtime = sessionConfiguration.siteTime.format(loop.timeSource.wallClock)
        let command = TerminalCommand(name: "settime", fields: ["cloudtime": .string(cloudtime)],
                                      expectation: .replyIfAny)
        commands.execute(command, replyTimeout: nil) { [logger] result in
            switch result {
            case .success:
                logger.info("terminal clock set", ["sn": sn, "time": cloudtime])
            case .failure(let failure):
                logger.warning("terminal clock not set", ["sn": sn, "error": failure.message])
            }
        }
    }

    private func pullNewLogs(sn: String, commands: TerminalCommandRunner) {
        let command = TerminalCommand(name: "getnewlog", expectation: .reply, paging: .logs)
        commands.execute(command, replyTimeout: nil) { [logger] result in
            switch result {
            case .success(.replied(let reply)):
                let stored = reply["stored"]
                logger.info("new records pulled from terminal", [
                    "sn": sn, "count": reply["count"]?.description ?? "0",
                    "new": stored?["new"]?.description ?? "0",
                ])
            case .success(.sent):
                break
            case .failure(let failure):
                logger.warning("new records not pulled from terminal", ["sn": sn, "error": failure.message])
            }
        }
    }
}
