import CatracaCore
import CatracaServer
import Foundation
import Testing
@testable import CatracaGPIO

/// Collects what an input delivers on the loop thread, for a test thread to wait on.
final class DeliveredEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [(event: PulseFilterEvent, deliveredAt: Instant)] = []
    private let arrived = DispatchSemaphore(value: 0)

    func record(_ event: PulseFilterEvent, at instant: Instant) {
        lock.lock()
        events.append((event, instant))
        lock.unlock()
        arrived.signal()
    }

    /// Waits for `count` more events (`seconds` at most) and returns all delivered so far.
    func wait(for count: Int, seconds: Double = 5) -> [(event: PulseFilterEvent, deliveredAt: Instant)] {
        for _ in 0..<count {
            if arrived.wait(timeout: .now() + seconds) == .timedOut { break }
        }
        lock.lock()
        defer { lock.unlock() }
        return events
    }
}

@Suite struct SimulatedInputTests {
    private func running(_ settings: PulseFilterSettings = .default) throws -> (EventLoop, SimulatedInput,
                                                                               DeliveredEvents) {
        let loop = try EventLoop()
        let input = SimulatedInput(loop: loop, settings: settings)
        let delivered = DeliveredEvents()
        let started = DispatchSemaphore(value: 0)
        loop.execute {
            try? input.start { delivered.record($0, at: loop.timeSource.now) }
            started.signal()
        }
        Thread { loop.run() }.start()
        _ = started.wait(timeout: .now() + 5)
        return (loop, input, delivered)
    }

    @Test func pulsesGoThroughTheFilterOnARealLoopWithTheWidthsAskedFor() throws {
        let (loop, input, delivered) = try running()
        defer { loop.stop() }

        input.pulse(.fireIn, duration: .milliseconds(60))
        input.pulse(.exitButton, duration: .milliseconds(30))
        _ = delivered.wait(for: 2)
        input.pulse(.fireIn, duration: .milliseconds(4))
        let events = delivered.wait(for: 1)

        let pulses = events.compactMap { entry -> Pulse? in
            if case .pulse(let pulse) = entry.event { return pulse }
            return nil
        }
        #expect(pulses.map(\.line).sorted { $0.rawValue < $1.rawValue } == [.exitButton, .fireIn])
        #expect(Set(pulses.map(\.width)) == [.milliseconds(60), .milliseconds(30)])
        #expect(events.contains { entry in
            if case .spike(.fireIn, _, .milliseconds(4)) = entry.event { return true }
            return false
        })
        for entry in events {
            if case .pulse(let pulse) = entry.event {
                #expect(entry.deliveredAt >= pulse.roseAt + PulseFilterSettings.default.debounce)
            }
        }
    }

    @Test func aHeldLineIsReportedStuckByTheLoopsTimerThenReleased() throws {
        let (loop, input, delivered) = try running(PulseFilterSettings(maxPulse: .milliseconds(80)))
        defer { loop.stop() }

        input.setLevel(.exitButton, active: true)
        let stuck = delivered.wait(for: 1)
        input.setLevel(.exitButton, active: false)
        let all = delivered.wait(for: 1)

        #expect(stuck.count == 1)
        if case .stuck(.exitButton, _)? = stuck.first?.event {} else { Issue.record("expected stuck, got \(stuck)") }
        if case .unstuck(.exitButton, _, let width)? = all.last?.event {
            #expect(width >= .milliseconds(80))
        } else {
            Issue.record("expected the release after the stuck line, got \(all)")
        }
    }

    @Test func aStoppedInputDeliversNothingMore() throws {
        let (loop, input, delivered) = try running()
        defer { loop.stop() }

        loop.execute { input.stop() }
        input.pulse(.fireIn, duration: .milliseconds(30))
        let events = delivered.wait(for: 1, seconds: 0.5)

        #expect(events.isEmpty)
    }
}
