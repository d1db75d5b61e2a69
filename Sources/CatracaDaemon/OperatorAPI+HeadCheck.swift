import CatracaHTTP
import CatracaServer

/// Who may send the API a body: checked on the request's head, before the server reads a byte of the body or
/// answers `100 Continue`, so that a stranger cannot make the daemon buffer uploads (32 MiB each) or wait
/// for them. `handle` checks again on the whole request (CSRF, cross-site), as before.
extension OperatorAPI {
    /// The largest body a public route takes: a login form is a few dozen bytes.
    static let publicBodyLimit = 4 * 1024

    /// The verdict on a head: a valid bearer token or a live status-page session reads the body (up to the
    /// server's limit); the status page's public routes read a small one; anything else is answered 401.
    func checkHead(_ head: HTTPRequestHead, peer: SocketAddress) -> HTTPHeadVerdict {
        let browser = statusPage.map { _ in BrowserRequest(head: head, peerHost: peer.host) }
        let authorized = hasCredentials(head, browser: browser)
        if statusPage != nil && OperatorAPI.isPublicPageRoute(method: head.method, path: head.path) {
            return .read(maxBodyBytes: OperatorAPI.publicBodyLimit, authorized: authorized)
        }
        return authorized ? .read(maxBodyBytes: nil, authorized: true) : .refuse(APIError.unauthorized.response)
    }

    /// A bearer token is judged alone (a wrong one is not rescued by a cookie); without one, a live session.
    private func hasCredentials(_ head: HTTPRequestHead, browser: BrowserRequest?) -> Bool {
        if head.headers["Authorization"] != nil { return isAuthorized(head) }
        guard let page = statusPage, let id = browser?.sessionID else { return false }
        return page.sessions.use(id: id) != nil
    }

    /// The status page's routes that need no login (`pageResponse` answers them).
    static func isPublicPageRoute(method: String, path: String) -> Bool {
        switch (method, path) {
        case ("GET", "/"), ("GET", StatusPageAssets.scriptPath), ("GET", StatusPageAssets.stylePath),
             ("POST", "/login"), ("POST", "/logout"):
            return true
        default:
            return false
        }
    }
}
