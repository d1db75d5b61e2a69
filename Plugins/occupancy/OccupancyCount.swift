/// How many people are inside, against the capacity; what a passage does to it and what an entry gets.
struct OccupancyCount: Equatable {
    let inside: Int
    let capacity: Int

    /// The count after a passage towards `side` ("entry" adds one, "exit" takes one, never below zero;
    /// anything else changes nothing). Above the capacity is possible: people do get in without a
    /// record (a held door, an unauthorised rotation), and the count says how many are really inside.
    func after(side: String) -> OccupancyCount {
        switch side {
        case "entry":
            return OccupancyCount(inside: inside + 1, capacity: capacity)
        case "exit":
            return OccupancyCount(inside: max(0, inside - 1), capacity: capacity)
        default:
            return self
        }
    }

    var isFull: Bool {
        inside >= capacity
    }

    /// The terminal's message for an entry: "Full (50/50)" when full, else "Inside: 12/50".
    var message: String {
        isFull ? "Full (\(inside)/\(capacity))" : "Inside: \(inside)/\(capacity)"
    }
}
