import CatracaCore
import CatracaHTTP
import CatracaServer

/// One phone's or browser's connection on the phones' port: its messages go to the intercom's switchboard.
final class PhoneConnection: WebSocketHandler {
    private unowned let intercom: IntercomService

    init(intercom: IntercomService) {
        self.intercom = intercom
    }

    func channelDidOpen(_ channel: WebSocketChannel, request: HTTPRequestHead) {
        intercom.phoneOpened(channel)
    }

    func channel(_ channel: WebSocketChannel, didReceiveText text: [UInt8]) {
        intercom.phoneSent(text, on: channel)
    }

    func channel(_ channel: WebSocketChannel, didReceiveBinary bytes: [UInt8]) {
        intercom.logger.debug("binary message from a phone ignored; phones send JSON text",
                              ["connection": "\(channel.id)", "bytes": "\(bytes.count)"])
    }

    func channelDidClose(_ channel: WebSocketChannel, code: UInt16, reason: String) {
        intercom.phoneClosed(channel, code: code, reason: reason)
    }
}
