import CatracaCore

/// How long the passage joiner waits, and for what. Built and checked once from the site configuration.
public struct JoinerConfiguration: Hashable, Sendable {
    /// How long a grant stays open for a turn: the terminal's re-verify time.
    public var window: TimeSpan
    /// How long a rotation waits for a late grant (records come batched or resent), and a TurnstilePass
    /// record for its GPIO rotation.
    public var rotationGrace: TimeSpan
    /// A second rotation of the same direction at one turnstile within this time of the one before is ignored.
    public var bounceGuard: TimeSpan

    /// 10 s window, 1.5 s grace, 300 ms bounce guard.
    public static let defaults = JoinerConfiguration(checkedWindow: .seconds(10), rotationGrace: .milliseconds(1500),
                                                     bounceGuard: .milliseconds(300))

    /// Fails when a span is not positive.
    public init(window: TimeSpan = .seconds(10), rotationGrace: TimeSpan = .milliseconds(1500),
                bounceGuard: TimeSpan = .milliseconds(300)) throws {
        for (name, span) in [("window", window), ("rotationGrace", rotationGrace), ("bounceGuard", bounceGuard)]
        where span <= .zero {
            throw JoinerConfigurationError.notPositive(setting: name, value: span)
        }
        self.init(checkedWindow: window, rotationGrace: rotationGrace, bounceGuard: bounceGuard)
    }

    private init(checkedWindow window: TimeSpan, rotationGrace: TimeSpan, bounceGuard: TimeSpan) {
        self.window = window
        self.rotationGrace = rotationGrace
        self.bounceGuard = bounceGuard
    }
}

/// Why a joiner configuration was refused.
public enum JoinerConfigurationError: Error, Equatable, CustomStringConvertible {
    case notPositive(setting: String, value: TimeSpan)

    public var description: String {
        switch self {
        case .notPositive(let setting, let value):
            return "turnstile setting \(setting) is \(value); it must be longer than zero"
        }
    }
}
