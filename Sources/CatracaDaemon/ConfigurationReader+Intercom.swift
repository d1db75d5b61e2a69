extension ConfigurationReader {
    func readIntercom(_ value: ConfigValue) throws -> Configuration.Intercom {
        let keys = try object(value, at: "intercom")
        try rejectUnknownKeys(keys, known: [
            "listen", "ringTimeoutSeconds", "defaultPhones", "phones", "stun", "turn", "enableOnRegistration",
        ], at: "intercom")
        var intercom = Configuration.Intercom()
        if let value = keys["listen"] { intercom.listen = try optionalString(value, at: "intercom.listen") }
        if let value = keys["ringTimeoutSeconds"] {
            intercom.ringTimeoutSeconds = try number(value, at: "intercom.ringTimeoutSeconds")
        }
        if let value = keys["defaultPhones"] { intercom.defaultPhones = try phoneNumbers(value) }
        if let value = keys["phones"] {
            for (number, entry) in try object(value, at: "intercom.phones") {
                intercom.phones[number] = try readPhone(entry, at: "intercom.phones.\(number)")
            }
        }
        if let value = keys["stun"] { intercom.stun = try optionalString(value, at: "intercom.stun") }
        if let value = keys["turn"], value != .null { intercom.turn = try readTURN(value) }
        if let value = keys["enableOnRegistration"], value != .null {
            intercom.enableOnRegistration = try readEnableWebRTC(value)
        }
        return intercom
    }

    private func phoneNumbers(_ value: ConfigValue) throws -> [String] {
        guard case .array(let items) = value else {
            throw error(at: "intercom.defaultPhones", "expected a list of phone numbers, found \(value.typeName)")
        }
        return try items.enumerated().map { index, item in
            if case .number = item { return String(try integer(item, at: "intercom.defaultPhones[\(index)]")) }
            return try string(item, at: "intercom.defaultPhones[\(index)]")
        }
    }

    private func readPhone(_ value: ConfigValue, at path: String) throws -> Configuration.Phone {
        let keys = try object(value, at: path)
        try rejectUnknownKeys(keys, known: ["secret", "enrollid", "apartment", "name"], at: path)
        guard let secret = keys["secret"] else { throw error(at: path + ".secret", "is required") }
        var phone = Configuration.Phone(secret: try string(secret, at: path + ".secret"))
        if let value = keys["enrollid"], value != .null {
            phone.enrollid = Int64(try integer(value, at: path + ".enrollid"))
        }
        if let value = keys["apartment"] {
            if case .number = value {
                phone.apartment = String(try integer(value, at: path + ".apartment"))
            } else {
                phone.apartment = try optionalString(value, at: path + ".apartment")
            }
        }
        if let value = keys["name"] { phone.name = try optionalString(value, at: path + ".name") }
        return phone
    }

    private func readTURN(_ value: ConfigValue) throws -> Configuration.TURN {
        let keys = try object(value, at: "intercom.turn")
        try rejectUnknownKeys(keys, known: ["url", "username", "password", "sharedSecret", "ttlSeconds"],
                              at: "intercom.turn")
        guard let url = keys["url"] else { throw error(at: "intercom.turn.url", "is required when turn is given") }
        var turn = Configuration.TURN(url: try string(url, at: "intercom.turn.url"))
        if let value = keys["username"] { turn.username = try optionalString(value, at: "intercom.turn.username") }
        if let value = keys["password"] { turn.password = try optionalString(value, at: "intercom.turn.password") }
        if let value = keys["sharedSecret"] {
            turn.sharedSecret = try optionalString(value, at: "intercom.turn.sharedSecret")
        }
        if let value = keys["ttlSeconds"] { turn.ttlSeconds = try number(value, at: "intercom.turn.ttlSeconds") }
        return turn
    }

    private func readEnableWebRTC(_ value: ConfigValue) throws -> Configuration.EnableWebRTC {
        let path = "intercom.enableOnRegistration"
        let keys = try object(value, at: path)
        try rejectUnknownKeys(keys, known: ["intercom", "monitor", "inputmode"], at: path)
        var enable = Configuration.EnableWebRTC()
        if let value = keys["intercom"] { enable.intercom = try bool(value, at: path + ".intercom") }
        if let value = keys["monitor"] { enable.monitor = try bool(value, at: path + ".monitor") }
        if let value = keys["inputmode"] { enable.inputmode = try integer(value, at: path + ".inputmode") }
        return enable
    }
}
