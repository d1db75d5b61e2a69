/// One physical turnstile, named by its site id (e.g. `"main"`).
public struct TurnstileID: Hashable, Sendable, Comparable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var name: String

    public init(_ name: String) { self.name = name }

    public init(stringLiteral value: String) { self.name = value }

    public static func < (lhs: TurnstileID, rhs: TurnstileID) -> Bool { lhs.name < rhs.name }

    public var description: String { name }
}
