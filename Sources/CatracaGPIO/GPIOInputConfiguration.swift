/// Which input the turnstile pulses come from, and how the GPIO lines are found and filtered.
public struct GPIOInputConfiguration: Hashable, Sendable {
    /// Where the pulses come from.
    public enum Source: Hashable, Sendable, CustomStringConvertible {
        /// A GPIO chip if this machine has one (`/dev/gpiochip*`) that has both lines, else the simulated
        /// input. The default.
        case auto
        /// The simulated input, even if a chip is present.
        case simulated
        /// This chip, by name (`gpiochip0`) or path (`/dev/gpiochip0`); failing to open it stops the start.
        case chip(String)

        /// `auto`, `simulated`, or a chip name or path.
        public init(parsing text: String) {
            switch text {
            case "auto": self = .auto
            case "simulated": self = .simulated
            default: self = .chip(text)
            }
        }

        public var description: String {
            switch self {
            case .auto: return "auto"
            case .simulated: return "simulated"
            case .chip(let chip): return chip
            }
        }
    }

    public var source: Source
    /// Relay 2 of the turnstile board (direction A). Default: the line named `fire-in`.
    public var fireIn: GPIOLineSelector
    /// Relay 3 of the turnstile board (direction B). Default: the line named `exit-button`.
    public var exitButton: GPIOLineSelector
    /// Ask the chip for its internal pull-up on both lines (the relay contacts only pull to ground).
    /// Default off: many boards have external pull-ups, and not every chip supports bias.
    public var pullUp: Bool
    public var filter: PulseFilterSettings

    public init(
        source: Source = .auto,
        fireIn: GPIOLineSelector = .name("fire-in"),
        exitButton: GPIOLineSelector = .name("exit-button"),
        pullUp: Bool = false,
        filter: PulseFilterSettings = .default
    ) {
        self.source = source
        self.fireIn = fireIn
        self.exitButton = exitButton
        self.pullUp = pullUp
        self.filter = filter
    }

    /// The selector configured for `line`.
    public func selector(for line: TurnstileLine) -> GPIOLineSelector {
        switch line {
        case .fireIn: return fireIn
        case .exitButton: return exitButton
        }
    }
}
