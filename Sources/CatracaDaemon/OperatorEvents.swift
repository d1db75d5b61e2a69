/// The daemon's bus of `OperatorEvent`s: the gateway, the turnstile service and the outbox publish, the
/// status page's event streams subscribe. Lives on the event loop: publish and subscribe there only.
///
/// It also remembers what a page opened later needs to start from: the last passages and each online
/// terminal's clock drift (neither is in the store in that form).
final class OperatorEvents {
    /// A subscriber's handle, to unsubscribe with.
    struct Subscription: Hashable {
        fileprivate let id: UInt64
    }

    typealias Subscriber = (OperatorEvent) -> Void

    private var subscribers: [UInt64: Subscriber] = [:]
    private var nextID: UInt64 = 1
    /// The last passages, oldest first.
    private(set) var recentPassages: [OperatorEvent] = []
    /// Seconds a terminal's clock was ahead of this box's when it last registered (negative: behind).
    private(set) var clockDrifts: [String: Double] = [:]

    /// How many passages a new page is shown before live ones arrive.
    static let recentPassageLimit = 20

    var subscriberCount: Int { subscribers.count }

    /// Calls `subscriber` with every event published from now on, until `unsubscribe`.
    func subscribe(_ subscriber: @escaping Subscriber) -> Subscription {
        let id = nextID
        nextID += 1
        subscribers[id] = subscriber
        return Subscription(id: id)
    }

    func unsubscribe(_ subscription: Subscription) {
        subscribers[subscription.id] = nil
    }

    /// Hands `event` to every subscriber, in the order they subscribed. A subscriber may unsubscribe
    /// (itself or another) while being called; one removed that way is not called for this event.
    func publish(_ event: OperatorEvent) {
        remember(event)
        for id in subscribers.keys.sorted() {
            subscribers[id]?(event)
        }
    }

    private func remember(_ event: OperatorEvent) {
        switch event {
        case .passageClosed:
            recentPassages.append(event)
            if recentPassages.count > OperatorEvents.recentPassageLimit { recentPassages.removeFirst() }
        case .terminalOnline(let sn, _, _, let drift):
            clockDrifts[sn] = drift
        default:
            break
        }
    }
}
