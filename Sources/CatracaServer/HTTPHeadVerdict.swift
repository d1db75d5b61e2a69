import CatracaHTTP

/// What an `HTTPServer` does with a request whose head has arrived, before it reads a byte of its body.
public enum HTTPHeadVerdict {
    /// Read the body, at most `maxBodyBytes` (nil: the server's limit), and hand the request to the handler.
    /// `authorized` says the client proved who it is: from then on its connection gets the full idle timeout
    /// and body deadline instead of the short ones for strangers.
    case read(maxBodyBytes: Int?, authorized: Bool)
    /// Answer with this response without reading the body (no `100 Continue` is sent), and close.
    case refuse(HTTPResponse)
}
