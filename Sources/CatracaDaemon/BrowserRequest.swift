import CatracaHTTP
import CatracaServer
import Foundation

/// What the status page's defences read from a browser's request: its session cookie, its CSRF header,
/// where it came from, and whether it reached us over TLS through a reverse proxy.
///
/// A proxy's `X-Forwarded-Proto` and `X-Forwarded-For` are believed only when the request came from this
/// box (the proxy runs here, as in the README's nginx setup); from anywhere else they are ignored, so a
/// client on the LAN cannot claim another address or TLS it did not use.
struct BrowserRequest {
    static let cookieName = "catraca_session"
    static let csrfHeader = "X-CSRF-Token"

    let head: HTTPRequestHead
    /// The connection's peer host, e.g. `127.0.0.1`; nil when unknown.
    let peerHost: String?

    /// Whether the peer is this box, and so possibly our reverse proxy.
    var isFromThisBox: Bool {
        guard let peerHost else { return false }
        return peerHost.hasPrefix("127.") || peerHost == "::1"
    }

    /// `https` when a local proxy says so, else `http`.
    var scheme: String {
        guard isFromThisBox, let proto = head.headers["X-Forwarded-Proto"] else { return "http" }
        return proto.trimmingCharacters(in: .whitespaces).lowercased() == "https" ? "https" : "http"
    }

    /// The address login failures are counted against: the last `X-Forwarded-For` element a local proxy
    /// added (nginx's `$proxy_add_x_forwarded_for` appends the address it saw), else the peer.
    var clientAddress: String {
        if isFromThisBox, let forwarded = head.headers.values(for: "X-Forwarded-For").last,
           let last = forwarded.split(separator: ",").last {
            let address = last.trimmingCharacters(in: .whitespaces)
            if !address.isEmpty { return String(address.prefix(64)) }
        }
        return peerHost ?? "unknown"
    }

    /// The value of the session cookie, when the request carries one.
    var sessionID: String? {
        for header in head.headers.values(for: "Cookie") {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == BrowserRequest.cookieName else {
                    continue
                }
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// Whether `Origin`, or failing it `Referer`, names this host; a request with neither (curl, scripts)
    /// passes, as browsers send `Origin` with every cross-site POST. `Origin: null` (sandboxed frames,
    /// some redirects) never passes. Without a `Host` header nothing can match.
    var comesFromThisSite: Bool {
        guard let host = head.headers["Host"]?.trimmingCharacters(in: .whitespaces).lowercased(), !host.isEmpty else {
            return head.headers["Origin"] == nil && head.headers["Referer"] == nil
        }
        let expected = "\(scheme)://\(host)"
        if let origin = head.headers["Origin"] {
            return origin.trimmingCharacters(in: .whitespaces).lowercased() == expected
        }
        if let referer = head.headers["Referer"]?.trimmingCharacters(in: .whitespaces).lowercased() {
            return referer == expected || referer.hasPrefix(expected + "/")
        }
        return true
    }

    /// Whether the request's `X-CSRF-Token` equals `expected`, compared in constant time.
    func carriesCSRFToken(_ expected: String) -> Bool {
        guard let given = head.headers[BrowserRequest.csrfHeader] else { return false }
        return APIToken.matches(given.trimmingCharacters(in: .whitespaces), expected: expected)
    }

    /// Whether the method may change state: everything but GET, HEAD and OPTIONS.
    var isStateChanging: Bool {
        !["GET", "HEAD", "OPTIONS"].contains(head.method)
    }

    /// The `Set-Cookie` value for `sessionID`; `Secure` when the page came over TLS.
    func sessionCookie(_ sessionID: String, maxAgeSeconds: Int) -> String {
        "\(BrowserRequest.cookieName)=\(sessionID); Path=/; Max-Age=\(maxAgeSeconds); HttpOnly; SameSite=Strict"
            + (scheme == "https" ? "; Secure" : "")
    }

    /// The `Set-Cookie` value that makes the browser forget the session cookie.
    func expiredCookie() -> String {
        "\(BrowserRequest.cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
            + (scheme == "https" ? "; Secure" : "")
    }
}
