/// A JSON value as read from a terminal or built for a reply.
///
/// Numbers keep their source text and objects keep their key order, so that what a terminal sends
/// can be echoed back (`count`, `logindex`) or kept (`extraJSON`) exactly as it came.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue: CustomStringConvertible {
    /// The value as compact JSON text, e.g. `{"ret":"reg","result":true}`.
    public var description: String { JSONWriter().text(self) }
}
