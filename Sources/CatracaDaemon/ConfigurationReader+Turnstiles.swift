extension ConfigurationReader {
    func readTurnstiles(_ value: ConfigValue) throws -> [String: Configuration.Turnstile] {
        var turnstiles: [String: Configuration.Turnstile] = [:]
        for (name, entry) in try object(value, at: "turnstiles") {
            turnstiles[name] = try readTurnstile(entry, at: "turnstiles.\(name)")
        }
        return turnstiles
    }

    private func readTurnstile(_ value: ConfigValue, at path: String) throws -> Configuration.Turnstile {
        let keys = try object(value, at: path)
        try rejectUnknownKeys(keys, known: ["inDirection", "entry", "exit", "reportsTurns", "gpio"], at: path)
        var turnstile = Configuration.Turnstile()
        if let value = keys["inDirection"] { turnstile.inDirection = try string(value, at: path + ".inDirection") }
        if let value = keys["entry"] { turnstile.entry = try strings(value, at: path + ".entry") }
        if let value = keys["exit"] { turnstile.exit = try strings(value, at: path + ".exit") }
        if let value = keys["reportsTurns"] { turnstile.reportsTurns = try strings(value, at: path + ".reportsTurns") }
        if let value = keys["gpio"] { turnstile.gpio = try readGPIO(value, at: path + ".gpio") }
        return turnstile
    }

    private func readGPIO(_ value: ConfigValue, at path: String) throws -> Configuration.TurnstileGPIO {
        let keys = try object(value, at: path)
        try rejectUnknownKeys(keys, known: [
            "chip", "fireIn", "exitButton", "pullUp", "debounceMilliseconds", "minPulseMilliseconds",
            "maxPulseMilliseconds",
        ], at: path)
        var gpio = Configuration.TurnstileGPIO()
        if let value = keys["chip"] { gpio.chip = try string(value, at: path + ".chip") }
        if let value = keys["fireIn"] { gpio.fireIn = try line(value, at: path + ".fireIn") }
        if let value = keys["exitButton"] { gpio.exitButton = try line(value, at: path + ".exitButton") }
        if let value = keys["pullUp"] { gpio.pullUp = try bool(value, at: path + ".pullUp") }
        if let value = keys["debounceMilliseconds"] {
            gpio.debounceMilliseconds = try number(value, at: path + ".debounceMilliseconds")
        }
        if let value = keys["minPulseMilliseconds"] {
            gpio.minPulseMilliseconds = try number(value, at: path + ".minPulseMilliseconds")
        }
        if let value = keys["maxPulseMilliseconds"] {
            gpio.maxPulseMilliseconds = try number(value, at: path + ".maxPulseMilliseconds")
        }
        return gpio
    }

    /// A line is named (`"fire-in"`) or numbered by its offset on the chip (`17` or `"17"`).
    private func line(_ value: ConfigValue, at path: String) throws -> String {
        if case .number = value { return String(try integer(value, at: path)) }
        return try string(value, at: path)
    }

    private func strings(_ value: ConfigValue, at path: String) throws -> [String] {
        guard case .array(let items) = value else {
            throw error(at: path, "expected a list of serial numbers, found \(value.typeName)")
        }
        return try items.enumerated().map { index, item in try string(item, at: "\(path)[\(index)]") }
    }

    func readPassages(_ value: ConfigValue, into passages: inout Configuration.Passages) throws {
        let keys = try object(value, at: "passages")
        try rejectUnknownKeys(keys, known: ["windowSeconds", "rotationGraceSeconds", "bounceGuardMilliseconds",
                                            "grantMaxAgeSeconds"], at: "passages")
        if let value = keys["grantMaxAgeSeconds"] {
            passages.grantMaxAgeSeconds = try number(value, at: "passages.grantMaxAgeSeconds")
        }
        if let value = keys["windowSeconds"] {
            passages.windowSeconds = try number(value, at: "passages.windowSeconds")
        }
        if let value = keys["rotationGraceSeconds"] {
            passages.rotationGraceSeconds = try number(value, at: "passages.rotationGraceSeconds")
        }
        if let value = keys["bounceGuardMilliseconds"] {
            passages.bounceGuardMilliseconds = try number(value, at: "passages.bounceGuardMilliseconds")
        }
    }
}
