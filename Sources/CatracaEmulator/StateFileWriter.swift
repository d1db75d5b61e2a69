import CatracaJSON
import Foundation

/// Writes an emulated terminal's state file atomically: a reader sees the old file or the new one,
/// never half of one (Foundation writes a temporary file beside it and renames it over).
public struct StateFileWriter: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The state file of terminal `serialNumber` when `path` is given for a fleet of `terminals`:
    /// `path` itself for one terminal, `path.SN` for several.
    public static func path(_ path: String, serialNumber: String, terminals: Int) -> String {
        terminals > 1 ? "\(path).\(serialNumber)" : path
    }

    public func write(_ state: JSONValue) throws {
        do {
            try Data(JSONWriter().bytes(state)).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw StateFileError(path: path, underlying: "\(error)")
        }
    }
}

/// The state file could not be written.
public struct StateFileError: Error, CustomStringConvertible {
    public let path: String
    public let underlying: String

    public var description: String {
        "cannot write the state file \(path): \(underlying); check that its folder exists and is writable"
    }
}
