#if canImport(Glibc)
import Glibc
#endif
import CSystem
import CatracaCore
import Foundation

/// Something registered with an event loop for readiness events on one descriptor.
public protocol EventLoopHandler: AnyObject {
    /// epoll reported `events` (`EPOLLIN`, `EPOLLOUT`, `EPOLLHUP`, …) for the handler's descriptor.
    func handleEvents(_ events: UInt32)
}

/// Opaque handle of a scheduled timer, for cancelling it.
public struct TimerHandle: Hashable, Sendable {
    let id: UInt64
}

/// One thread that waits on epoll and runs everything that touches sockets.
///
/// Nothing on the loop blocks: sockets are non-blocking and disk work happens on the store's own
/// thread, which hands results back with `execute(_:)`. Readiness is level-triggered, so a handler
/// may read part of what is available and leave the rest for the next turn, which keeps one busy
/// peer from starving the others.
public final class EventLoop: @unchecked Sendable {
    public let timeSource: TimeSource

    private let epollFD: Int32
    private let wakeFD: Int32
    private static let wakeToken: UInt64 = UInt64.max

    private struct Registration {
        var generation: UInt32
        var handler: EventLoopHandler
    }
    private var registrations: [Int32: Registration] = [:]
    private var nextGeneration: UInt32 = 1
    private var timers = TimerQueue()

    private let taskLock = NSLock()
    private var tasks: [() -> Void] = []
    private var stopRequested = false
    private var loopThread: pthread_t?

    public init(timeSource: TimeSource = SystemTimeSource()) throws {
        self.timeSource = timeSource
        epollFD = try systemCall("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        wakeFD = try systemCall("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = EventLoop.wakeToken
        try systemCall("epoll_ctl", subject: "eventfd") { epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event) }
    }

    deinit {
        close(epollFD)
        close(wakeFD)
    }

    /// True when called from the loop's own thread.
    public var inEventLoop: Bool {
        guard let thread = loopThread else { return false }
        return pthread_equal(thread, pthread_self()) != 0
    }

    // MARK: Descriptors

    /// Starts reporting `events` on `fd` to `handler`. Call on the loop thread.
    public func register(fd: Int32, events: UInt32, handler: EventLoopHandler) throws {
        let generation = nextGeneration
        nextGeneration &+= 1
        var event = epoll_event()
        event.events = events
        event.data.u64 = EventLoop.token(fd: fd, generation: generation)
        try systemCall("epoll_ctl(ADD)", subject: "fd \(fd)") { epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) }
        registrations[fd] = Registration(generation: generation, handler: handler)
    }

    /// Changes the events reported for a registered `fd`.
    public func modify(fd: Int32, events: UInt32) throws {
        guard let registration = registrations[fd] else { return }
        var event = epoll_event()
        event.events = events
        event.data.u64 = EventLoop.token(fd: fd, generation: registration.generation)
        try systemCall("epoll_ctl(MOD)", subject: "fd \(fd)") { epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event) }
    }

    /// Stops reporting events on `fd`. Call before closing the descriptor.
    public func unregister(fd: Int32) {
        guard registrations.removeValue(forKey: fd) != nil else { return }
        var event = epoll_event()
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event)
    }

    public var registeredCount: Int { registrations.count }

    // The generation in the token tells a stale event for a closed descriptor from an event for a new
    // descriptor that reused its number within the same epoll_wait batch.
    private static func token(fd: Int32, generation: UInt32) -> UInt64 {
        (UInt64(generation) << 32) | UInt64(UInt32(bitPattern: fd))
    }

    // MARK: Tasks and timers

    /// Runs `task` on the loop thread at its next turn. Safe to call from any thread.
    public func execute(_ task: @escaping () -> Void) {
        taskLock.lock()
        tasks.append(task)
        let first = tasks.count == 1
        taskLock.unlock()
        if first { wake() }
    }

    /// Runs `action` on the loop once `deadline` has passed. Call on the loop thread.
    @discardableResult
    public func scheduleTimer(at deadline: Instant, _ action: @escaping () -> Void) -> TimerHandle {
        TimerHandle(id: timers.schedule(at: deadline, action))
    }

    public func cancelTimer(_ handle: TimerHandle) {
        timers.cancel(handle.id)
    }

    // MARK: Running

    /// Runs the loop on the calling thread until `stop()` is called.
    public func run() {
        loopThread = pthread_self()
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while !isStopRequested() {
            let count = epoll_wait(epollFD, &events, Int32(events.count), waitTimeoutMilliseconds())
            if count < 0 && errno != EINTR {
                // Only a bad descriptor or argument makes epoll_wait fail: a bug, not a condition to serve on.
                fatalError("epoll_wait failed: \(String(cString: strerror(errno)))")
            }
            for index in 0..<max(0, Int(count)) {
                dispatch(events[index])
            }
            runTasks()
            runDueTimers()
        }
        runTasks()
        loopThread = nil
    }

    /// Asks the loop to return from `run()` after its current turn. Safe to call from any thread.
    public func stop() {
        taskLock.lock()
        stopRequested = true
        taskLock.unlock()
        wake()
    }

    private func isStopRequested() -> Bool {
        taskLock.lock()
        defer { taskLock.unlock() }
        return stopRequested
    }

    private func dispatch(_ event: epoll_event) {
        let token = event.data.u64
        if token == EventLoop.wakeToken {
            var value: UInt64 = 0
            _ = read(wakeFD, &value, 8)
            return
        }
        let fd = Int32(bitPattern: UInt32(truncatingIfNeeded: token))
        let generation = UInt32(truncatingIfNeeded: token >> 32)
        guard let registration = registrations[fd], registration.generation == generation else { return }
        registration.handler.handleEvents(event.events)
    }

    private func waitTimeoutMilliseconds() -> Int32 {
        taskLock.lock()
        let hasTasks = !tasks.isEmpty
        taskLock.unlock()
        if hasTasks { return 0 }
        guard let deadline = timers.earliestDeadline() else { return -1 }
        let remaining = deadline.since(timeSource.now).nanoseconds
        if remaining <= 0 { return 0 }
        return Int32(min(Int64(Int32.max), (remaining + 999_999) / 1_000_000))
    }

    private func runTasks() {
        taskLock.lock()
        let pending = tasks
        tasks.removeAll(keepingCapacity: true)
        taskLock.unlock()
        for task in pending { task() }
    }

    private func runDueTimers() {
        for action in timers.takeDue(now: timeSource.now) { action() }
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }
}
