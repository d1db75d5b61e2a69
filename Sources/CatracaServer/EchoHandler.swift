import CatracaHTTP

/// Sends every message back as it came. Serves the conformance suite (Autobahn|Testsuite), which
/// checks the WebSocket codec against an echo endpoint; the daemon offers it only when told to.
public final class EchoHandler: WebSocketHandler {
    public init() {}

    public func channelDidOpen(_ channel: WebSocketChannel, request: HTTPRequestHead) {}

    public func channel(_ channel: WebSocketChannel, didReceiveText text: [UInt8]) {
        channel.sendText(text)
    }

    public func channel(_ channel: WebSocketChannel, didReceiveBinary bytes: [UInt8]) {
        channel.sendBinary(bytes)
    }

    public func channelDidClose(_ channel: WebSocketChannel, code: UInt16, reason: String) {}
}
