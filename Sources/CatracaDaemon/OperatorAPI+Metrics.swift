import CatracaCore
import CatracaHTTP

/// `GET /metrics`: every registered metric in Prometheus' text format, behind the API's bearer token
/// (Prometheus sends it with `authorization: { credentials_file: ... }`).
extension OperatorAPI {
    func metricsResponse() -> HTTPResponse {
        HTTPResponse(status: 200, reason: nil,
                     headers: HTTPHeaders([("Content-Type", MetricsRegistry.contentType)]),
                     body: Array(metrics.exposition().utf8))
    }
}
