import CSQLite
import Foundation

/// A plugin's own persistent key-value store: one small SQLite file per plugin under the state directory.
final class KeyValueStore {
    private var database: OpaquePointer?
    let path: String

    static let maxKeyBytes = 255
    static let maxValueBytes = 64 * 1024

    init(path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        guard sqlite3_open(path, &database) == SQLITE_OK else { throw KeyValueStoreError.sqlite(path, message) }
        try execute("PRAGMA journal_mode=WAL")
        try execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
    }

    deinit { sqlite3_close(database) }

    /// The value of `key`, or nil when absent.
    func get(_ key: String) throws -> [UInt8]? {
        let statement = try prepare("SELECT value FROM kv WHERE key = ?")
        defer { sqlite3_finalize(statement) }
        sqlite3_bind_text(statement, 1, key, -1, KeyValueStore.transient)
        switch sqlite3_step(statement) {
        case SQLITE_ROW:
            let count = Int(sqlite3_column_bytes(statement, 0))
            guard count > 0, let bytes = sqlite3_column_blob(statement, 0) else { return [] }
            return Array(UnsafeRawBufferPointer(start: bytes, count: count))
        case SQLITE_DONE:
            return nil
        default:
            throw KeyValueStoreError.sqlite(path, message)
        }
    }

    /// Stores `value` under `key`; nil deletes it.
    func set(_ key: String, _ value: [UInt8]?) throws {
        guard key.utf8.count <= KeyValueStore.maxKeyBytes else { throw KeyValueStoreError.keyTooLong(key.utf8.count) }
        guard let value else {
            let statement = try prepare("DELETE FROM kv WHERE key = ?")
            defer { sqlite3_finalize(statement) }
            sqlite3_bind_text(statement, 1, key, -1, KeyValueStore.transient)
            return try finish(statement)
        }
        guard value.count <= KeyValueStore.maxValueBytes else { throw KeyValueStoreError.valueTooLong(value.count) }
        let statement = try prepare("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)")
        defer { sqlite3_finalize(statement) }
        sqlite3_bind_text(statement, 1, key, -1, KeyValueStore.transient)
        _ = value.withUnsafeBytes {
            sqlite3_bind_blob(statement, 2, $0.baseAddress, Int32($0.count), KeyValueStore.transient)
        }
        try finish(statement)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private var message: String { database.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open" }

    private func prepare(_ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(database, sql, -1, &statement, nil) == SQLITE_OK else {
            throw KeyValueStoreError.sqlite(path, message)
        }
        return statement
    }

    private func finish(_ statement: OpaquePointer?) throws {
        guard sqlite3_step(statement) == SQLITE_DONE else { throw KeyValueStoreError.sqlite(path, message) }
    }

    private func execute(_ sql: String) throws {
        guard sqlite3_exec(database, sql, nil, nil, nil) == SQLITE_OK else {
            throw KeyValueStoreError.sqlite(path, message)
        }
    }
}

enum KeyValueStoreError: Error, CustomStringConvertible {
    case sqlite(String, String)
    case keyTooLong(Int)
    case valueTooLong(Int)

    var description: String {
        switch self {
        case .sqlite(let path, let message): return "plugin store \(path): \(message)"
        case .keyTooLong(let bytes): return "key of \(bytes) bytes is over the 255-byte limit"
        case .valueTooLong(let bytes): return "value of \(bytes) bytes is over the 64 KiB limit"
        }
    }
}
