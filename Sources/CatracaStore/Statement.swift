import CSQLite

/// A prepared SQL statement, compiled once and reused: bind values, step through rows, read columns.
///
/// Parameters and columns are numbered as in SQLite: parameters from 1, columns from 0. After the last
/// row (or an error) the statement is reset by `step`, so it can be bound again right away.
public final class Statement {
    private let database: Database
    private let handle: OpaquePointer
    /// What the statement does, in words, for error descriptions.
    let operation: String

    init(database: Database, handle: OpaquePointer, operation: String) {
        self.database = database
        self.handle = handle
        self.operation = operation
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: Binding

    public func bind(_ value: Int64?, at index: Int32) throws {
        guard let value else { return try bindNull(at: index) }
        try check(sqlite3_bind_int64(handle, index, value))
    }

    public func bind(_ value: Int?, at index: Int32) throws {
        try bind(value.map(Int64.init), at: index)
    }

    public func bind(_ value: Double?, at index: Int32) throws {
        guard let value else { return try bindNull(at: index) }
        try check(sqlite3_bind_double(handle, index, value))
    }

    public func bind(_ value: String?, at index: Int32) throws {
        guard let value else { return try bindNull(at: index) }
        var text = value
        // withUTF8 reads a native string's storage in place; SQLite copies it (SQLITE_TRANSIENT).
        let code = text.withUTF8 { utf8 -> Int32 in
            guard let base = utf8.baseAddress, !utf8.isEmpty else {
                return sqlite3_bind_text(handle, index, "", 0, csqlite_transient())
            }
            let characters = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
            return sqlite3_bind_text(handle, index, characters, Int32(utf8.count), csqlite_transient())
        }
        try check(code)
    }

    public func bind(_ value: [UInt8]?, at index: Int32) throws {
        guard let value else { return try bindNull(at: index) }
        let code = value.withUnsafeBytes { bytes -> Int32 in
            // An empty array may have no base address; a zero-length blob is still a blob, not NULL.
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_zeroblob(handle, index, 0) }
            return sqlite3_bind_blob(handle, index, base, Int32(bytes.count), csqlite_transient())
        }
        try check(code)
    }

    public func bindNull(at index: Int32) throws {
        try check(sqlite3_bind_null(handle, index))
    }

    // MARK: Stepping

    /// Advances to the next row: true when a row is available, false when the statement is done.
    ///
    /// When done or on error the statement is reset (its bindings stay), releasing any read lock it held.
    @discardableResult
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        let failure = code == SQLITE_DONE ? nil : database.error(code, operation: operation)
        sqlite3_reset(handle)
        if let failure { throw failure }
        return false
    }

    /// Stops stepping early and releases the statement's locks; bindings stay.
    public func reset() {
        sqlite3_reset(handle)
    }

    /// Runs a statement that returns no rows, e.g. an INSERT.
    public func run() throws {
        while try step() {}
    }

    // MARK: Columns

    public func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    public func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    public func int(_ column: Int32) -> Int {
        Int(sqlite3_column_int64(handle, column))
    }

    public func optionalInt(_ column: Int32) -> Int? {
        isNull(column) ? nil : int(column)
    }

    public func optionalDouble(_ column: Int32) -> Double? {
        isNull(column) ? nil : sqlite3_column_double(handle, column)
    }

    /// The column as text; an empty string for NULL (use `optionalText` where NULL means something).
    public func text(_ column: Int32) -> String {
        optionalText(column) ?? ""
    }

    public func optionalText(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    public func blob(_ column: Int32) -> [UInt8]? {
        if isNull(column) { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    private func check(_ code: Int32) throws {
        try database.check(code, operation: operation)
    }
}
