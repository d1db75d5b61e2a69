import CatracaGPIO
import CatracaTurnstile

/// One turnstile as the operators' API shows it: where its terminals stand and where its turns come from.
struct TurnstileSummary: Equatable {
    var name: String
    /// `A` or `B`: the turn that means entering.
    var inDirection: String
    /// Serial numbers of the terminals on the entry side, sorted.
    var entry: [String]
    /// Serial numbers of the terminals on the exit side, sorted.
    var exit: [String]
    /// Those whose TurnstilePass firmware reports turns in their records, sorted.
    var reportsTurns: [String]
    /// The input's own summary (`simulated`, `gpio chip=gpiochip0 ...`).
    var input: String
    /// Whether pulses can be driven by hand (`POST /v1/turnstiles/{name}/pulse`).
    var simulated: Bool
}

extension TurnstileService {
    /// Every turnstile of the layout, by name; one whose input is not open shows `input` as `none`.
    var summaries: [TurnstileSummary] {
        layout.inDirections.keys.sorted().map { id in
            let placed = layout.placements.filter { $0.value.turnstile == id }
            let input = inputs[id]
            return TurnstileSummary(
                name: id.name, inDirection: layout.inDirections[id]?.rawValue ?? "A",
                entry: placed.filter { $0.value.side == .entry }.keys.sorted(),
                exit: placed.filter { $0.value.side == .exit }.keys.sorted(),
                reportsTurns: placed.filter { $0.value.reportsTurns }.keys.sorted(),
                input: input?.summary ?? "none", simulated: input is SimulatedInput)
        }
    }
}
