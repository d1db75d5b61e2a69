import CatracaJSON

/// The replies the daemon sends to terminal requests, with keys in the order the vendor document shows.
enum TerminalReplies {
    /// Refusal texts are shown on the terminal's screen, so they are short.
    enum Refusal {
        static let noSerialNumber = "No serial number"
        static let invalidSerialNumber = "Invalid serial number"
        static let notAllowed = "Terminal not allowed"
        static let wrongAddress = "Address not allowed"
    }

    static func registrationAccepted(cloudtime: String) -> JSONValue {
        ["ret": "reg", "result": true, "cloudtime": .string(cloudtime), "nosenduser": true]
    }

    static func registrationRefused(reason: String) -> JSONValue {
        ["ret": "reg", "result": false, "reason": .string(reason)]
    }

    /// The acknowledgement that makes the terminal drop the records it sent: `count` and `logindex`
    /// are echoed as received; `logindex` is left out when the terminal sent none.
    static func recordsAcknowledged(count: JSONValue, logindex: JSONValue?, cloudtime: String,
                                    message: String) -> JSONValue {
        var reply: JSONObject = ["ret": "sendlog", "result": true, "count": count]
        if let logindex {
            reply["logindex"] = logindex
        }
        reply["cloudtime"] = .string(cloudtime)
        reply["access"] = 1
        reply["message"] = .string(message)
        return .object(reply)
    }

    static func recordsRefused(reason: String) -> JSONValue {
        ["ret": "sendlog", "result": false, "reason": .string(reason)]
    }
}
