import CatracaJSON

extension ConfigurationReader {
    func readPlugins(_ value: ConfigValue, into plugins: inout Configuration.Plugins) throws {
        let keys = try object(value, at: "plugins")
        try rejectUnknownKeys(keys, known: [
            "directory", "order", "deadlineMilliseconds", "fallback", "fallbackMessage", "unknownQRCodeMessage",
            "settings", "recordMemorySeconds", "qrcodeResendSeconds", "hostPath",
        ], at: "plugins")
        if let value = keys["directory"] { plugins.directory = try optionalString(value, at: "plugins.directory") }
        if let value = keys["hostPath"] { plugins.hostPath = try optionalString(value, at: "plugins.hostPath") }
        if let value = keys["order"] { plugins.order = try names(value, at: "plugins.order") }
        if let value = keys["deadlineMilliseconds"] {
            plugins.deadlineMilliseconds = try number(value, at: "plugins.deadlineMilliseconds")
        }
        if let value = keys["fallback"] { plugins.fallback = try string(value, at: "plugins.fallback") }
        if let value = keys["fallbackMessage"] {
            plugins.fallbackMessage = try string(value, at: "plugins.fallbackMessage")
        }
        if let value = keys["unknownQRCodeMessage"] {
            plugins.unknownQRCodeMessage = try string(value, at: "plugins.unknownQRCodeMessage")
        }
        if let value = keys["recordMemorySeconds"] {
            plugins.recordMemorySeconds = try number(value, at: "plugins.recordMemorySeconds")
        }
        if let value = keys["qrcodeResendSeconds"] {
            plugins.qrcodeResendSeconds = try number(value, at: "plugins.qrcodeResendSeconds")
        }
        if let value = keys["settings"] {
            for (name, settings) in try object(value, at: "plugins.settings") {
                _ = try object(settings, at: "plugins.settings.\(name)")
                plugins.settings[name] = ConfigurationReader.json(settings).description
            }
        }
    }

    private func names(_ value: ConfigValue, at path: String) throws -> [String] {
        guard case .array(let items) = value else {
            throw error(at: path, "expected a list of plugin names, found \(value.typeName)")
        }
        return try items.enumerated().map { index, item in try string(item, at: "\(path)[\(index)]") }
    }

    /// A config value as JSON, for a plugin's settings text.
    static func json(_ value: ConfigValue) -> JSONValue {
        switch value {
        case .object(let keys):
            var object = JSONObject()
            for key in keys.keys.sorted() { object.append(key: key, value: json(keys[key]!)) }
            return .object(object)
        case .array(let items):
            return .array(items.map(json))
        case .string(let text):
            return .string(text)
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 { return .integer(Int(number)) }
            return JSONNumber(number).map(JSONValue.number) ?? .null
        case .bool(let flag):
            return .bool(flag)
        case .null:
            return .null
        }
    }
}
