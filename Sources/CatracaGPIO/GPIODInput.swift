#if canImport(Glibc)
import Glibc
#endif
import CGPIOD
import CSystem
import CatracaCore
import CatracaServer

/// Turnstile pulses from a kernel GPIO chip through libgpiod v1 (Debian 12: 1.6.3).
///
/// Both lines are requested for both-edge events with `GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW`, so the kernel
/// reports edges of the *logical* level: the relay pulling a line low arrives as a rising edge (active),
/// letting go as a falling edge. Event timestamps come from the kernel's interrupt handler: libgpiod 1.6
/// speaks the kernel's v1 character-device ABI, whose `gpioevent_data.timestamp` is `CLOCK_MONOTONIC`
/// since Linux 5.7 (`ktime_get_ns()` in gpiolib-cdev; before 5.7 it was `CLOCK_REALTIME`). libgpiod's
/// header says only "best estimate of time of event occurrence", so the clock is the kernel's word, and
/// Debian 12's kernel is 6.1. It is the clock `SystemTimeSource.now` reads, so pulse times and timers agree.
///
/// The event descriptors are made non-blocking and watched by the event loop; each readiness reads up to
/// 64 events per line in bulk (the kernel keeps 16 per line; more are dropped by the kernel, not here).
///
/// Known shortcoming, in the kernel's v1 ABI rather than here: for both-edge requests the kernel does not
/// record which edge fired; its interrupt thread reads the line's level afterwards and names the edge from
/// that. Edges closer together than that thread's latency can come out with the wrong kind (the filter
/// counts them as `repeatedEdges`), and interrupts arriving while one is pending are merged. Relay pulses
/// of 20 ms and more are far from this; in the gpio-sim VM (emulated, slow) it shows from ~2 ms between
/// edges. The v2 ABI (libgpiod 2.x) reports the edge itself, and would be the fix if it ever matters.
public final class GPIODInput: TurnstileInput {
    /// The chip as it was opened: a name (`gpiochip0`) or a path.
    public let chip: String
    /// The offsets the configured lines resolved to on the chip.
    public private(set) var offsets: [TurnstileLine: UInt32] = [:]

    /// Called on the loop thread with each batch of edges as read and the moment they were read, before
    /// the filter sees them: for the probe's latency figures and raw-edge output.
    public var edgeObserver: ((_ edges: [LineEdge], _ readAt: Instant) -> Void)?

    private let loop: EventLoop
    private let logger: Logger
    private let runner: PulseFilterRunner
    private var handle: OpaquePointer?
    private var readers: [LineEventReader] = []

    /// Opens `chip` (a name such as `gpiochip0`, or a path) and requests both lines' edge events.
    /// Throws `GPIOInputError` saying which step failed on which chip and line.
    public init(loop: EventLoop, chip: String, configuration: GPIOInputConfiguration, logger: Logger) throws {
        self.loop = loop
        self.chip = chip
        self.logger = logger
        self.runner = PulseFilterRunner(loop: loop, settings: configuration.filter)

        let opened = chip.contains("/") ? gpiod_chip_open(chip) : gpiod_chip_open_by_name(chip)
        guard let opened else { throw GPIOInputError(step: .openChip, chip: chip, errno: errno) }
        handle = opened

        do {
            for line in TurnstileLine.allCases {
                try requestEvents(line: line, selector: configuration.selector(for: line), pullUp: configuration.pullUp)
            }
        } catch {
            gpiod_chip_close(opened)
            handle = nil
            throw error
        }
    }

    deinit {
        if let handle { gpiod_chip_close(handle) }
    }

    public var summary: String {
        let lines = TurnstileLine.allCases.map { "\($0)=\(offsets[$0].map(String.init) ?? "?")" }
        return (["gpio chip=\(chip)"] + lines).joined(separator: " ")
    }

    public var bounces: Int { runner.bounces }
    public var repeatedEdges: Int { runner.repeatedEdges }

    public func start(deliver: @escaping (PulseFilterEvent) -> Void) throws {
        runner.start(deliver: deliver)
        for reader in readers {
            do {
                try loop.register(fd: reader.fd, events: EPOLLIN.rawValue, handler: reader)
            } catch let error as SystemError {
                stop()
                throw GPIOInputError(step: .watchEvents, chip: chip, line: reader.line,
                                     selector: .offset(offsets[reader.line] ?? 0), errno: error.errno)
            }
        }
    }

    public func stop() {
        runner.stop()
        for reader in readers { loop.unregister(fd: reader.fd) }
        readers = []
        if let handle { gpiod_chip_close(handle) }
        handle = nil
    }

    private func requestEvents(line: TurnstileLine, selector: GPIOLineSelector, pullUp: Bool) throws {
        let found: OpaquePointer?
        switch selector {
        case .offset(let offset): found = gpiod_chip_get_line(handle, offset)
        case .name(let name): found = gpiod_chip_find_line(handle, name)
        }
        guard let found else {
            // libgpiod leaves errno at 0 when a name search simply finds nothing on some paths.
            throw GPIOInputError(step: .findLine, chip: chip, line: line, selector: selector,
                                 errno: errno == 0 ? ENOENT : errno)
        }

        var flags = Int32(GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW)
        if pullUp { flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP) }
        guard gpiod_line_request_both_edges_events_flags(found, "catraca", flags) == 0 else {
            throw GPIOInputError(step: .requestEvents, chip: chip, line: line, selector: selector, errno: errno)
        }

        let fd = gpiod_line_event_get_fd(found)
        let status = fcntl(fd, F_GETFL)
        guard fd >= 0, status >= 0, fcntl(fd, F_SETFL, status | O_NONBLOCK) >= 0 else {
            throw GPIOInputError(step: .watchEvents, chip: chip, line: line, selector: selector, errno: errno)
        }
        offsets[line] = gpiod_line_offset(found)
        readers.append(LineEventReader(fd: fd, line: line, input: self))
    }

    /// Edges read from one line's descriptor: hand them to the observer and the filter.
    fileprivate func received(_ edges: [LineEdge]) {
        edgeObserver?(edges, loop.timeSource.now)
        runner.handle(edges)
    }

    /// Reading a line's events failed for good (the chip went away): stop watching that line, say so.
    fileprivate func readFailed(_ reader: LineEventReader, errno code: Int32) {
        loop.unregister(fd: reader.fd)
        readers.removeAll { $0 === reader }
        logger.error("stopped reading a turnstile line: reading its GPIO events failed; check the chip and restart",
                     ["chip": chip, "line": reader.line.description,
                      "error": String(cString: strerror(code)), "errno": String(code)])
    }
}

/// Reads one line's events when the event loop says its descriptor is readable.
private final class LineEventReader: EventLoopHandler {
    let fd: Int32
    let line: TurnstileLine
    private unowned let input: GPIODInput
    private var buffer = [gpiod_line_event](repeating: gpiod_line_event(), count: 16)

    init(fd: Int32, line: TurnstileLine, input: GPIODInput) {
        self.fd = fd
        self.line = line
        self.input = input
    }

    func handleEvents(_ events: UInt32) {
        var edges: [LineEdge] = []
        // At most four reads of 16 per turn: readiness is level-triggered, so the rest waits one turn.
        for _ in 0..<4 {
            let count = gpiod_line_event_read_fd_multiple(fd, &buffer, UInt32(buffer.count))
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                if code != EAGAIN && code != EWOULDBLOCK {
                    input.readFailed(self, errno: code)
                }
                break
            }
            edges += buffer.prefix(Int(count)).map(edge(from:))
            if count < buffer.count { break }
        }
        if !edges.isEmpty { input.received(edges) }
    }

    // Requested active-low, so the kernel's "rising" is the line becoming active (pulled low).
    private func edge(from event: gpiod_line_event) -> LineEdge {
        let at = Instant(nanoseconds: UInt64(event.ts.tv_sec) * 1_000_000_000 + UInt64(event.ts.tv_nsec))
        let kind: LineEdge.Kind = event.event_type == Int32(GPIOD_LINE_EVENT_RISING_EDGE) ? .activated : .released
        return LineEdge(line: line, kind: kind, at: at)
    }
}
