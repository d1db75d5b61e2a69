import CatracaJSON

/// The replies the daemon sends to terminal requests, with keys in the order the vendor document shows.
enum TerminalReplies {
    /// Refusal texts are shown on the terminal's screen, so they are short.
    enum Refusal {
        static let noSerialNumber = "No serial number"
        static let invalidSerialNumber = "Invalid serial number"
        static let notAllowed = "Terminal not allowed"
        static let wrongAddress = "Address not allowed"
        static let refusedBySite = "Refused"
        static let noQRCode = "No QR code"
    }

    static func registrationAccepted(cloudtime: String) -> JSONValue {
        ["ret": "reg", "result": true, "cloudtime": .string(cloudtime), "nosenduser": true]
    }

    static func registrationRefused(reason: String) -> JSONValue {
        ["ret": "reg", "result": false, "reason": .string(reason)]
    }

    /// The acknowledgement that makes the terminal drop the records it sent: `count` and `logindex`
    /// are echoed as received; `logindex` is left out when the terminal sent none.
    /// `access`, `message`, `fontsize` and `text_color` come from the site's rules' verdict; `defaultMessage`
    /// is shown when the verdict has none. `fontsize` and `text_color` are left out unless a rule set them.
    static func recordsAcknowledged(count: JSONValue, logindex: JSONValue?, cloudtime: String,
                                    verdict: AccessVerdict, defaultMessage: String) -> JSONValue {
        var reply: JSONObject = ["ret": "sendlog", "result": true, "count": count]
        if let logindex {
            reply["logindex"] = logindex
        }
        reply["cloudtime"] = .string(cloudtime)
        reply["access"] = verdict.access ? 1 : 0
        reply["message"] = .string(verdict.message ?? defaultMessage)
        appendStyle(verdict, to: &reply)
        return .object(reply)
    }

    /// The answer to `sendqrcode`, spelled correctly (the vendor's example says `sendqgrcode`).
    static func qrcodeAnswered(sn: String, verdict: AccessVerdict) -> JSONValue {
        var reply: JSONObject = ["ret": "sendqrcode", "sn": .string(sn), "result": true,
                                 "access": verdict.access ? 1 : 0]
        if let enrollid = verdict.enrollid { reply["enrollid"] = .number(JSONNumber(enrollid)) }
        if let username = verdict.username { reply["username"] = .string(username) }
        reply["message"] = .string(verdict.message ?? "")
        appendStyle(verdict, to: &reply)
        return .object(reply)
    }

    static func qrcodeRefused(reason: String) -> JSONValue {
        ["ret": "sendqrcode", "result": false, "reason": .string(reason)]
    }

    private static func appendStyle(_ verdict: AccessVerdict, to reply: inout JSONObject) {
        if let fontsize = verdict.fontsize { reply["fontsize"] = .integer(fontsize) }
        if let color = verdict.textColor {
            reply["text_color"] = [.integer((color >> 16) & 0xFF), .integer((color >> 8) & 0xFF),
                                   .integer(color & 0xFF)]
        }
    }

    static func recordsRefused(reason: String) -> JSONValue {
        ["ret": "sendlog", "result": false, "reason": .string(reason)]
    }
}
