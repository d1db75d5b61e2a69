import CatracaJSON

/// One response of the operators' API: its status and its body, read as JSON when it is JSON.
public struct APIResponse: Equatable, Sendable {
    public var status: Int
    /// The body exactly as it came (printed as is by `--json`).
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    /// The body as text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON, or nil when it is empty or not JSON.
    public var json: JSONValue? {
        guard !body.isEmpty else { return nil }
        return try? JSONReader(maxDepth: 64, allowTrailingCommas: false).parse(body)
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}
