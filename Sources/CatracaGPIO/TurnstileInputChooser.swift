import CatracaCore
import CatracaServer
import Foundation

/// Picks the turnstile input the configuration asks for and says in one info line which one it is.
///
/// - `simulated`: the simulated input.
/// - a chip name or path: that chip, or a `GPIOInputError` saying which chip failed and what to check.
/// - `auto`: with no `gpiochip*` under `/dev`, the simulated input; otherwise the first chip (by number)
///   that has both configured lines, or a `GPIOInputError` naming the chips tried.
///
/// The daemon drives a `SimulatedInput` from its API (`as? SimulatedInput` on the result).
public enum TurnstileInputChooser {
    public static func makeInput(
        configuration: GPIOInputConfiguration,
        loop: EventLoop,
        logger: Logger,
        deviceDirectory: String = "/dev"
    ) throws -> TurnstileInput {
        let input: TurnstileInput
        let reason: String
        switch configuration.source {
        case .simulated:
            input = SimulatedInput(loop: loop, settings: configuration.filter)
            reason = "configured"
        case .chip(let chip):
            input = try GPIODInput(loop: loop, chip: chip, configuration: configuration, logger: logger)
            reason = "configured"
        case .auto:
            let chips = chipNames(in: deviceDirectory)
            if chips.isEmpty {
                input = SimulatedInput(loop: loop, settings: configuration.filter)
                reason = "no gpiochip in \(deviceDirectory)"
            } else {
                let paths = chips.map { "\(deviceDirectory)/\($0)" }
                input = try firstChipWithTheLines(paths, configuration: configuration, loop: loop, logger: logger)
                reason = "auto"
            }
        }

        logger.info("turnstile input: \(input.summary)", ["source": configuration.source.description, "reason": reason])
        return input
    }

    /// The `gpiochip*` entries of `directory`, in chip-number order.
    static func chipNames(in directory: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.filter { $0.hasPrefix("gpiochip") }
            .sorted { (number(of: $0) ?? .max, $0) < (number(of: $1) ?? .max, $1) }
    }

    private static func number(of chip: String) -> Int? {
        Int(chip.dropFirst("gpiochip".count))
    }

    // A chip without one of the lines is skipped; any other failure (permissions, a busy line) is the answer.
    private static func firstChipWithTheLines(
        _ chips: [String], configuration: GPIOInputConfiguration, loop: EventLoop, logger: Logger
    ) throws -> GPIODInput {
        for chip in chips {
            do {
                return try GPIODInput(loop: loop, chip: chip, configuration: configuration, logger: logger)
            } catch let error as GPIOInputError where error.step == .findLine {
                logger.debug("GPIO chip lacks a turnstile line", ["chip": chip, "error": error.description])
            }
        }
        throw GPIOInputError(step: .noChipHasTheLines, chip: chips.joined(separator: ", "))
    }
}
