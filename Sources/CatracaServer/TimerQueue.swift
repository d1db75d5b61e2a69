import CatracaCore

/// Timers of an event loop, ordered by deadline (a binary min-heap).
///
/// Cancelling is lazy: a cancelled timer stays in the heap and is skipped when it comes due, which
/// keeps rescheduling (done on every message of every connection) at O(log n).
struct TimerQueue {
    struct Entry {
        var deadline: Instant
        var id: UInt64
        var action: () -> Void
    }

    private var heap: [Entry] = []
    private var cancelled: Set<UInt64> = []
    private var nextID: UInt64 = 1

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    /// The earliest deadline still scheduled, if any.
    mutating func earliestDeadline() -> Instant? {
        dropCancelledTop()
        return heap.first?.deadline
    }

    mutating func schedule(at deadline: Instant, _ action: @escaping () -> Void) -> UInt64 {
        let id = nextID
        nextID += 1
        heap.append(Entry(deadline: deadline, id: id, action: action))
        siftUp(heap.count - 1)
        return id
    }

    mutating func cancel(_ id: UInt64) {
        cancelled.insert(id)
    }

    /// Removes and returns the actions of every timer due at `now`, earliest first.
    mutating func takeDue(now: Instant) -> [() -> Void] {
        var due: [() -> Void] = []
        while let top = heap.first, top.deadline <= now {
            let entry = popTop()
            if cancelled.remove(entry.id) == nil {
                due.append(entry.action)
            }
        }
        return due
    }

    private mutating func dropCancelledTop() {
        while let top = heap.first, cancelled.contains(top.id) {
            cancelled.remove(top.id)
            _ = popTop()
        }
    }

    private mutating func popTop() -> Entry {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
        return top
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count && heap[right].deadline < heap[smallest].deadline { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
