import CatracaServer

/// Where turnstile pulses come from: a GPIO chip (`GPIODInput`) or the simulated input (`SimulatedInput`).
///
/// Both run the same `PulseFilter` on an `EventLoop` and deliver its events on the loop thread.
/// Start once, stop once; after `stop()` nothing more is delivered.
public protocol TurnstileInput: AnyObject {
    /// Says which input this is, for the start-up log line and the API, e.g. `gpio chip=gpiochip0
    /// fire-in=17 exit-button=27` or `simulated`.
    var summary: String { get }

    /// Starts watching the lines: `deliver` is called on the loop thread for every pulse, spike and stuck
    /// line. Call on the loop thread.
    func start(deliver: @escaping (PulseFilterEvent) -> Void) throws

    /// Stops watching and releases the lines. Call on the loop thread.
    func stop()
}
