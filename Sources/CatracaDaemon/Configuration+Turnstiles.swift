import CatracaCore
import CatracaGPIO
import CatracaTurnstile

extension Configuration {
    /// Where each placed terminal stands, and which way in is at each turnstile.
    func turnstileLayout() throws -> TurnstileLayout {
        var inDirections: [TurnstileID: Direction] = [:]
        var placements: [String: TerminalPlacement] = [:]
        for (name, turnstile) in turnstiles {
            let id = TurnstileID(name)
            inDirections[id] = Direction(rawValue: turnstile.inDirection) ?? .a
            for sn in turnstile.entry {
                placements[sn] = TerminalPlacement(turnstile: id, side: .entry,
                                                   reportsTurns: turnstile.reportsTurns.contains(sn))
            }
            for sn in turnstile.exit {
                placements[sn] = TerminalPlacement(turnstile: id, side: .exit,
                                                   reportsTurns: turnstile.reportsTurns.contains(sn))
            }
        }
        return try TurnstileLayout(inDirections: inDirections, placements: placements)
    }

    func joinerConfiguration() throws -> JoinerConfiguration {
        try JoinerConfiguration(window: .seconds(passages.windowSeconds),
                                rotationGrace: .seconds(passages.rotationGraceSeconds),
                                bounceGuard: .seconds(passages.bounceGuardMilliseconds / 1_000))
    }

    /// How the GPIO input of one turnstile is found and filtered.
    static func inputConfiguration(_ gpio: TurnstileGPIO) -> GPIOInputConfiguration {
        GPIOInputConfiguration(
            source: .init(parsing: gpio.chip), fireIn: GPIOLineSelector(parsing: gpio.fireIn),
            exitButton: GPIOLineSelector(parsing: gpio.exitButton), pullUp: gpio.pullUp,
            filter: PulseFilterSettings(debounce: .seconds(gpio.debounceMilliseconds / 1_000),
                                        minPulse: .seconds(gpio.minPulseMilliseconds / 1_000),
                                        maxPulse: .seconds(gpio.maxPulseMilliseconds / 1_000)))
    }

    func validateTurnstiles(_ fail: (String, String) -> ConfigurationError) throws {
        var placedAt: [String: String] = [:]
        for name in turnstiles.keys.sorted() {
            let turnstile = turnstiles[name]!
            let path = "turnstiles.\(name)"
            guard !name.isEmpty, name.utf8.count <= 64, !name.contains(where: { $0.isWhitespace }) else {
                throw fail(path, "a turnstile's name must be 1-64 characters without spaces")
            }
            guard Direction(rawValue: turnstile.inDirection) != nil else {
                throw fail(path + ".inDirection", "must be \"A\" (FIRE IN) or \"B\" (EXIT BUTTON), is "
                           + "\"\(turnstile.inDirection)\"")
            }
            for (side, serialNumbers) in [("entry", turnstile.entry), ("exit", turnstile.exit)] {
                for sn in serialNumbers {
                    if let other = placedAt[sn] {
                        throw fail("\(path).\(side)", "terminal \(sn) is already placed at \(other); a terminal "
                                   + "stands on one side of one turnstile")
                    }
                    placedAt[sn] = "\(path).\(side)"
                }
            }
            for sn in turnstile.reportsTurns where !turnstile.entry.contains(sn) && !turnstile.exit.contains(sn) {
                throw fail(path + ".reportsTurns", "terminal \(sn) is not in this turnstile's entry or exit list")
            }
            if let problem = Configuration.inputConfiguration(turnstile.gpio).filter.problem {
                throw fail(path + ".gpio", problem)
            }
        }
        let durations: [(String, Double)] = [
            ("passages.windowSeconds", passages.windowSeconds),
            ("passages.rotationGraceSeconds", passages.rotationGraceSeconds),
            ("passages.bounceGuardMilliseconds", passages.bounceGuardMilliseconds / 1_000),
        ]
        for (key, seconds) in durations where !(seconds > 0) || seconds > 3_600 {
            throw fail(key, "must be above 0 and at most an hour")
        }
        guard passages.grantMaxAgeSeconds >= 0, passages.grantMaxAgeSeconds <= 86_400 else {
            throw fail("passages.grantMaxAgeSeconds", "must be 0 (any age) up to 86400 (a day)")
        }
    }
}
