import CatracaCore
import CatracaServer
import Foundation
import Testing
@testable import CatracaGPIO

@Suite struct TurnstileInputChooserTests {
    private func scratchDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "catraca-gpio-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func autoWithNoChipUsesTheSimulatedInputAndSaysSoInOneInfoLine() throws {
        let loop = try EventLoop()
        let sink = MemoryLogSink()
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let input = try TurnstileInputChooser.makeInput(configuration: GPIOInputConfiguration(), loop: loop,
                                                        logger: Logger(label: "gpio", sink: sink),
                                                        deviceDirectory: directory)

        #expect(input is SimulatedInput)
        #expect(sink.entries.count == 1)
        #expect(sink.entries.first?.level == .info)
        #expect(sink.entries.first?.message == "turnstile input: simulated")
        #expect(sink.entries.first?.metadata["reason"] == "no gpiochip in \(directory)")
    }

    @Test func aConfiguredChipThatCannotBeOpenedStopsTheStartNamingTheChipAndWhatToCheck() throws {
        let loop = try EventLoop()
        let configuration = GPIOInputConfiguration(source: .chip("/nonexistent/gpiochip7"))

        #expect {
            _ = try TurnstileInputChooser.makeInput(configuration: configuration, loop: loop,
                                                    logger: Logger(label: "gpio", sink: MemoryLogSink()))
        } throws: { error in
            guard let error = error as? GPIOInputError else { return false }
            return error.step == .openChip && error.errno == ENOENT
                && error.description.hasPrefix("cannot open GPIO chip /nonexistent/gpiochip7: ")
                && error.description.contains("gpiodetect")
        }
    }

    @Test func autoWithAChipThatIsNoGPIODeviceIsAStartErrorNotASilentFallback() throws {
        let loop = try EventLoop()
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        FileManager.default.createFile(atPath: directory + "/gpiochip0", contents: Data())

        #expect(throws: GPIOInputError.self) {
            _ = try TurnstileInputChooser.makeInput(configuration: GPIOInputConfiguration(), loop: loop,
                                                    logger: Logger(label: "gpio", sink: MemoryLogSink()),
                                                    deviceDirectory: directory)
        }
    }

    @Test func simulatedIsChosenWhenConfiguredEvenWithChipsPresent() throws {
        let loop = try EventLoop()
        let sink = MemoryLogSink()
        let configuration = GPIOInputConfiguration(source: .simulated)

        let input = try TurnstileInputChooser.makeInput(configuration: configuration, loop: loop,
                                                        logger: Logger(label: "gpio", sink: sink))

        #expect(input is SimulatedInput)
        #expect(sink.entries.first?.metadata["reason"] == "configured")
    }

    @Test func chipsAreTriedInNumberOrder() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["gpiochip10", "gpiochip2", "tty0", "gpiochip0"] {
            FileManager.default.createFile(atPath: "\(directory)/\(name)", contents: Data())
        }

        #expect(TurnstileInputChooser.chipNames(in: directory) == ["gpiochip0", "gpiochip2", "gpiochip10"])
    }

    @Test(arguments: [("17", GPIOLineSelector.offset(17)), ("fire-in", .name("fire-in")), ("GPIO17", .name("GPIO17"))])
    func lineSelectorsAreOffsetsWhenAllDigitsAndNamesOtherwise(text: String, expected: GPIOLineSelector) {
        #expect(GPIOLineSelector(parsing: text) == expected)
    }
}
