/// Matches a request's method and path against patterns such as `/v1/terminals/{sn}/commands/{name}`.
///
/// Routes are tried in the order they were added, so a literal route placed first wins over a pattern
/// that would also match it (`/v1/terminals/commands/{name}` before `/v1/terminals/{sn}/raw`).
struct APIRouter<Endpoint> {
    private enum Segment: Equatable {
        case literal(String)
        case parameter(String)
    }

    private var routes: [(method: String, segments: [Segment], endpoint: Endpoint)] = []

    /// A match: the endpoint and the path's parameters, percent-decoded, by name.
    struct Match {
        var endpoint: Endpoint
        var parameters: [String: String]
    }

    mutating func add(_ method: String, _ pattern: String, _ endpoint: Endpoint) {
        let segments = APIRouter.split(pattern).map { part -> Segment in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast()))
                : .literal(part)
        }
        routes.append((method, segments, endpoint))
    }

    /// The route for `method` and `path` (without its query), or nil.
    func match(method: String, path: String) -> Match? {
        let parts = APIRouter.split(path)
        for route in routes where route.method == method && route.segments.count == parts.count {
            if let parameters = APIRouter.parameters(of: route.segments, in: parts) {
                return Match(endpoint: route.endpoint, parameters: parameters)
            }
        }
        return nil
    }

    private static func parameters(of segments: [Segment], in parts: [String]) -> [String: String]? {
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let text):
                guard text == part else { return nil }
            case .parameter(let name):
                guard let decoded = QueryParameters.percentDecoded(part, plusIsSpace: false), !decoded.isEmpty else {
                    return nil
                }
                parameters[name] = decoded
            }
        }
        return parameters
    }

    /// `/v1/terminals/` and `/v1/terminals` are the same path.
    private static func split(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }
}
