import CMosquitto

/// A libmosquitto call that failed: which call, and libmosquitto's code and description for it.
public struct MosquittoError: Error, Equatable, CustomStringConvertible {
    /// The C function that failed, e.g. `mosquitto_tls_set`.
    public var call: String
    /// libmosquitto's `MOSQ_ERR_*` code.
    public var code: Int32

    public init(call: String, code: Int32) {
        self.call = call
        self.code = code
    }

    public var description: String { "\(call) failed: \(Self.text(for: code)) (MOSQ_ERR \(code))" }

    /// libmosquitto's own words for a `MOSQ_ERR_*` code; for `MOSQ_ERR_ERRNO` it reads `errno`.
    static func text(for code: Int32) -> String {
        mosquitto_strerror(code).map { String(cString: $0) } ?? "unknown error"
    }
}
