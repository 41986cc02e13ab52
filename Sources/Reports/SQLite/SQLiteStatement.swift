import CSQLite

/// `SQLITE_TRANSIENT`: tells SQLite to copy bound text and blobs (the C macro cannot be imported).
private var sqliteTransient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

/// A prepared SQL statement of one ``SQLiteDatabase``, owning its `sqlite3_stmt` (finalized in
/// `deinit` or by ``finalize()``).
///
/// Reuse one statement for many rows: ``run(_:)`` resets, binds and steps it.
///
/// ```swift
/// let insert = try db.prepare("INSERT INTO t(id, name) VALUES (?, ?)")
/// for (id, name) in items { try insert.run([.int(id), .text(name)]) }
/// ```
public final class SQLiteStatement {
    /// The SQL text the statement was prepared from.
    public let sql: String
    /// The database; kept alive while the statement exists.
    public let database: SQLiteDatabase
    private var handle: OpaquePointer?

    init(database: SQLiteDatabase, handle: OpaquePointer, sql: String) {
        self.database = database
        self.handle = handle
        self.sql = sql
    }

    deinit {
        if let handle { sqlite3_finalize(handle) }
    }

    /// Number of `?` parameters in the statement.
    public var parameterCount: Int {
        handle.map { Int(sqlite3_bind_parameter_count($0)) } ?? 0
    }

    /// Names of the result columns (empty for statements that return no rows).
    public var columnNames: [String] {
        guard let handle else { return [] }
        return (0..<sqlite3_column_count(handle)).map { String(cString: sqlite3_column_name(handle, $0)) }
    }

    /// Binds one value to the 1-based parameter `index`.
    ///
    /// - Parameters:
    ///   - value: The value; text and blobs are copied.
    ///   - index: 1-based parameter index.
    /// - Throws: ``SQLiteError`` (e.g. `SQLITE_RANGE` for a bad index).
    public func bind(_ value: SQLiteValue, at index: Int) throws(SQLiteError) {
        let stmt = try liveHandle()
        let i = Int32(index)
        let rc: Int32
        switch value {
        case .integer(let v): rc = sqlite3_bind_int64(stmt, i, v)
        case .real(let v): rc = sqlite3_bind_double(stmt, i, v)
        case .text(let v): rc = sqlite3_bind_text(stmt, i, v, Int32(v.utf8.count), sqliteTransient)
        case .blob(let bytes):
            rc = bytes.withUnsafeBytes { raw in
                sqlite3_bind_blob(stmt, i, raw.baseAddress, Int32(raw.count), sqliteTransient)
            }
        case .null: rc = sqlite3_bind_null(stmt, i)
        }
        if rc != SQLITE_OK { throw error(rc) }
    }

    /// Clears all bindings and binds `values` to parameters 1…n.
    ///
    /// - Parameter values: One value per parameter.
    /// - Throws: ``SQLiteError`` with `SQLITE_RANGE` when the count differs from ``parameterCount``.
    public func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        let stmt = try liveHandle()
        if values.count != parameterCount {
            throw SQLiteError(
                code: SQLITE_RANGE, message: "\(values.count) values for \(parameterCount) parameters",
                sql: sql, path: database.path)
        }
        sqlite3_clear_bindings(stmt)
        for (offset, value) in values.enumerated() { try bind(value, at: offset + 1) }
    }

    /// Executes one step.
    ///
    /// - Returns: `true` when a row is available (read it with ``currentRow()``), `false` when done.
    /// - Throws: ``SQLiteError`` for any other result.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let stmt = try liveHandle()
        let rc = sqlite3_step(stmt)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw error(rc)
        }
    }

    /// The row the last ``step()`` produced.
    public func currentRow() -> SQLiteRow {
        guard let stmt = handle else { return SQLiteRow(columnNames: [], values: []) }
        let count = sqlite3_column_count(stmt)
        var values: [SQLiteValue] = []
        values.reserveCapacity(Int(count))
        for c in 0..<count {
            switch sqlite3_column_type(stmt, c) {
            case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(stmt, c)))
            case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(stmt, c)))
            case SQLITE_TEXT:
                let n = Int(sqlite3_column_bytes(stmt, c))
                if let p = sqlite3_column_text(stmt, c) {
                    values.append(.text(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)))
                } else {
                    values.append(.text(""))
                }
            case SQLITE_BLOB:
                let n = Int(sqlite3_column_bytes(stmt, c))
                if let p = sqlite3_column_blob(stmt, c) {
                    values.append(.blob(Array(UnsafeRawBufferPointer(start: p, count: n))))
                } else {
                    values.append(.blob([]))
                }
            default: values.append(.null)
            }
        }
        return SQLiteRow(columnNames: columnNames, values: values)
    }

    /// Resets the statement so it can run again; bindings are kept.
    public func reset() {
        if let handle { sqlite3_reset(handle) }
    }

    /// Resets, binds `values`, and steps until done, discarding any rows.
    ///
    /// - Parameter values: One value per parameter.
    /// - Throws: ``SQLiteError``.
    public func run(_ values: [SQLiteValue] = []) throws(SQLiteError) {
        reset()
        try bind(values)
        while try step() {}
        reset()
    }

    /// Resets, binds `values`, and returns every result row.
    ///
    /// - Parameter values: One value per parameter.
    /// - Returns: All rows in the order SQLite produced them.
    /// - Throws: ``SQLiteError``.
    public func rows(_ values: [SQLiteValue] = []) throws(SQLiteError) -> [SQLiteRow] {
        reset()
        try bind(values)
        var result: [SQLiteRow] = []
        while try step() { result.append(currentRow()) }
        reset()
        return result
    }

    /// Releases the statement now (it is also released in `deinit`). Later calls throw
    /// `SQLITE_MISUSE`.
    public func finalize() {
        if let handle { sqlite3_finalize(handle) }
        handle = nil
    }

    private func liveHandle() throws(SQLiteError) -> OpaquePointer {
        guard let handle else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "statement is finalized", sql: sql, path: database.path)
        }
        return handle
    }

    private func error(_ rc: Int32) -> SQLiteError {
        SQLiteError.from(database.rawHandle, code: rc, sql: sql, path: database.path)
    }
}
