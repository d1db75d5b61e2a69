import CatracaJSON

/// Replies turned into what an operator is shown.
public enum CommandReplies {
    /// The operator form of a (non-paged, or merged) reply to `command`: contract section 1.
    ///
    /// Merged listings (`{"count": N, "record": [...]}`) are accepted too, with log entries already in operator
    /// form; the result does not change when it is normalized again.
    public static func normalize(command: String, reply: JSONObject) -> JSONObject {
        ReplyNormalizer.normalize(reply, command: command)
    }

    /// A record entry of getnewlog/getalllog for the operator: keys in lower case, numbers as numbers, the time
    /// canonical where it can be read, and `image` replaced by `has_image` (photos go to the store).
    public static func operatorRecord(_ entry: JSONValue) -> JSONValue {
        guard let object = entry.object else { return entry }

        var record = JSONObject()
        var hasImage: Bool?
        for member in object {
            let lower = member.key.lowercased()
            let key = OperatorRecordKeys.known.contains(lower) ? lower : member.key
            guard record[key] == nil, !(key == "image" && hasImage != nil) else { continue }
            switch key {
            case "image":
                hasImage = !(member.value.string ?? "").isEmpty
                record.append(key: "has_image", value: .bool(hasImage!))
            case "has_image":
                hasImage = member.value.bool ?? false
                record.append(key: key, value: .bool(hasImage!))
            case "time":
                let time = member.value.string.flatMap(RecordTime.canonical)
                record.append(key: key, value: time.map(JSONValue.string) ?? member.value)
            default:
                record.append(key: key, value: ReplyNormalizer.normalizedValue(member.value, key: key))
            }
        }
        if hasImage == nil {
            record.append(key: "has_image", value: false)
        }
        return .object(record)
    }

    /// Words for a refusal (`result:false`): the setuserinfo reason table, the adduser busy reply, else a
    /// generic `terminal answered result:false (reason N)`.
    public static func refusalText(command: String, reply: JSONObject) -> String {
        let reason = reply["reason"] ?? reply["reson"]
        let code = reason?.int

        if command == "adduser", code == 3 || (reply["mesg"]?.string?.lowercased().contains("working") ?? false) {
            return "terminal is busy enrolling (device is working); send adduser cancel"
        }
        if command == "setuserinfo", let code, let text = SetUserInfoRefusal.text(reason: code) {
            return text
        }
        guard let reason else { return "terminal answered result:false without a reason" }
        return "terminal answered result:false (reason \(Shown(reason)))"
    }
}

private enum OperatorRecordKeys {
    static let known: Set<String> = [
        "sn", "enrollid", "time", "mode", "inout", "event", "temp", "verifymode", "name", "image", "has_image",
    ]
}

/// The setuserinfo failure reasons of the protocol, in words.
enum SetUserInfoRefusal {
    static func text(reason: Int) -> String? {
        switch reason {
        case 1: return "image too large (reason 1)"
        case 3: return "terminal busy (reason 3); try again"
        case 5: return "no face found in the image (reason 5)"
        case 6: return "more than one face in the image (reason 6)"
        case 7: return "image width or height too large (reason 7)"
        case 8: return "face too large in the image (reason 8)"
        case 9: return "face too small in the image (reason 9)"
        case 10: return "image quality too low (reason 10)"
        case 11: return "partial face: angled or covered (reason 11)"
        case 12: return "face already enrolled (reason 12)"
        default: return "image decoding failed (reason \(reason))"
        }
    }
}
