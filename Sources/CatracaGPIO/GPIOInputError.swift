#if canImport(Glibc)
import Glibc
#endif

/// The GPIO input could not start: which step failed, on which chip and line, the `errno`, and what to check.
public struct GPIOInputError: Error, CustomStringConvertible, Equatable {
    public enum Step: Equatable, Sendable {
        case openChip
        case findLine
        case requestEvents
        case watchEvents
        /// `auto` found chips, but none has both configured lines.
        case noChipHasTheLines
    }

    public var step: Step
    /// The chip as configured or found, e.g. `gpiochip0` or `/dev/gpiochip0`; all chips tried for
    /// `noChipHasTheLines`.
    public var chip: String
    public var line: TurnstileLine?
    public var selector: GPIOLineSelector?
    public var errno: Int32

    public init(step: Step, chip: String, line: TurnstileLine? = nil, selector: GPIOLineSelector? = nil,
                errno: Int32 = 0) {
        self.step = step
        self.chip = chip
        self.line = line
        self.selector = selector
        self.errno = errno
    }

    public var description: String {
        let cause = errno == 0 ? "" : ": \(String(cString: strerror(errno))) (errno \(errno))"
        return "\(failure)\(cause); \(advice)"
    }

    private var lineText: String {
        guard let line, let selector else { return "" }
        return "line \(line) (\(selector))"
    }

    private var failure: String {
        switch step {
        case .openChip: return "cannot open GPIO chip \(chip)"
        case .findLine: return "GPIO chip \(chip) has no \(lineText)"
        case .requestEvents: return "cannot request edge events on GPIO chip \(chip) \(lineText)"
        case .watchEvents: return "cannot watch events of GPIO chip \(chip) \(lineText)"
        case .noChipHasTheLines: return "no GPIO chip has both turnstile lines (tried \(chip))"
        }
    }

    private var advice: String {
        switch (step, errno) {
        case (.openChip, EACCES), (.openChip, EPERM):
            return "the daemon's user needs read and write access to the chip's /dev/gpiochip* device"
        case (.openChip, _):
            return "`gpiodetect` lists this machine's chips; set the chip to one of them, or to `simulated`"
        case (.findLine, _), (.noChipHasTheLines, _):
            return "`gpioinfo \(chip)` lists the chip's line offsets and names; configure the lines by either"
        case (.requestEvents, EBUSY):
            return "another process holds the line: `gpioinfo` shows its consumer; stop it (e.g. a gpiomon)"
        case (.requestEvents, EINVAL), (.requestEvents, ENOTSUP), (.requestEvents, EOPNOTSUPP):
            return "the chip may not support edge events or a pull-up bias on this line; try without pull-up"
        case (.requestEvents, _), (.watchEvents, _):
            return "check the line with `gpioinfo \(chip)` and the kernel log"
        }
    }
}
