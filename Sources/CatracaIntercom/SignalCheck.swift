import CatracaJSON

/// Checks the WebRTC payloads relayed between peers, so that garbage is refused at the server with a reason
/// instead of failing inside a peer's WebRTC stack.
///
/// The checks are shallow on purpose: the server relays SDP, it does not negotiate it.
enum SignalCheck {
    /// Larger SDP than a two-track offer with many candidates ever needs.
    static let maxSDPBytes = 64 * 1024
    static let maxCandidateBytes = 2 * 1024

    /// Why an `offer` or `answer` is malformed, or nil when it is fine.
    static func sdpProblem(_ body: JSONObject, expectedType: String) -> String? {
        if let type = body["type"], type.string != expectedType {
            return "type must be \"\(expectedType)\", found \(type)"
        }
        guard let sdp = body["sdp"]?.string else { return "sdp is missing or not a string" }
        guard sdp.utf8.count <= maxSDPBytes else { return "sdp is larger than \(maxSDPBytes) bytes" }
        guard sdp.hasPrefix("v=0") else { return "sdp does not start with \"v=0\"" }
        guard sdp.contains("m=") else { return "sdp has no media section (m=)" }
        return nil
    }

    /// Why an `icecandidate` is malformed, or nil when it is fine. An empty or null `candidate`, or one whose
    /// inner `candidate` is empty, is the end of the candidates and fine.
    static func candidateProblem(_ body: JSONObject) -> String? {
        guard let value = body["candidate"] else { return "candidate is missing" }
        switch value {
        case .null:
            return nil
        case .string(let text):
            if text.isEmpty { return nil }
            guard text.utf8.count <= maxCandidateBytes else { return "candidate is longer than \(maxCandidateBytes)" }
            guard let inner = try? JSONReader().parse(text), let object = inner.object else {
                return "candidate is not a JSON object text (candidate, sdpMid, sdpMLineIndex)"
            }
            return innerProblem(object)
        case .object(let object):
            return innerProblem(object)
        default:
            return "candidate must be a JSON object text, found \(value)"
        }
    }

    private static func innerProblem(_ object: JSONObject) -> String? {
        guard let line = object["candidate"]?.string else { return "candidate.candidate is missing or not a string" }
        if !line.isEmpty && !line.hasPrefix("candidate:") {
            return "candidate.candidate does not start with \"candidate:\""
        }
        if let index = object["sdpMLineIndex"], !index.isNull, index.int == nil {
            return "candidate.sdpMLineIndex is not a number"
        }
        if let mid = object["sdpMid"], !mid.isNull, mid.string == nil {
            return "candidate.sdpMid is not a string"
        }
        return nil
    }
}
