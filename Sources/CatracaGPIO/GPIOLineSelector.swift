/// How a turnstile line is found on its chip: by offset (`17`) or by name (`fire-in`, as a device tree's
/// `gpio-line-names` or gpio-sim gives it). `gpioinfo CHIP` lists both.
public enum GPIOLineSelector: Hashable, Sendable, CustomStringConvertible {
    case offset(UInt32)
    case name(String)

    /// All digits is an offset, anything else a line name.
    public init(parsing text: String) {
        if !text.isEmpty, text.allSatisfy(\.isASCII), let offset = UInt32(text) {
            self = .offset(offset)
        } else {
            self = .name(text)
        }
    }

    public var description: String {
        switch self {
        case .offset(let offset): return String(offset)
        case .name(let name): return name
        }
    }
}
