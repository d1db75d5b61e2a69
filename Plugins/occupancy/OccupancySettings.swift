#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The plugin's settings as written in the config file (plugins.settings.occupancy):
///
///     {"capacity": 50, "entry": ["SN-ENTRY-1", "SN-ENTRY-2"]}
///
/// `capacity` is how many people may be inside at once (1 or more). `entry` lists the terminals on the
/// way in: only their records are judged. Both are required.
struct OccupancySettings: Decodable {
    let capacity: Int
    let entry: [String]

    /// Decodes and checks the settings object text handed over by the host.
    static func decode(_ text: String) throws -> OccupancySettings {
        let settings: OccupancySettings
        do {
            settings = try JSONDecoder().decode(OccupancySettings.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw OccupancySettingsError(description: "occupancy settings: \(describe(error))")
        }
        guard settings.capacity >= 1 else {
            throw OccupancySettingsError(
                description: "occupancy settings: \"capacity\" is \(settings.capacity); it must be 1 or more")
        }
        return settings
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
             .dataCorrupted(let context):
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            let location = path.isEmpty ? "" : "at \(path.joined(separator: ".")): "
            return location + context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }
}

/// A settings mistake, said so that the operator can find and fix it in the config file.
struct OccupancySettingsError: Error, CustomStringConvertible {
    let description: String
}
