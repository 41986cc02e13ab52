import CSQLite

/// An open SQLite database, owning its `sqlite3` connection (closed in `deinit` or by
/// ``close()``).
///
/// A thin wrapper over the C API: ``execute(_:)`` for SQL scripts, ``prepare(_:)`` for
/// statements reused over many rows, ``run(_:_:)`` and ``query(_:_:)`` for one-shot statements,
/// and ``transaction(_:)`` for `BEGIN IMMEDIATE … COMMIT` with `ROLLBACK` on error.
///
/// ```swift
/// let db = try SQLiteDatabase(path: "run.sqlite")
/// try db.execute("CREATE TABLE t(id INTEGER, ttft_s REAL, gpu TEXT)")
/// try db.transaction {
///     let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?)")
///     try insert.run([.int(1), .real(0.25), .text("H200")])
/// }
/// let rows = try db.query("SELECT gpu FROM t WHERE id = ?", [.int(1)])
/// ```
///
/// Not `Sendable`: use one connection from one task at a time.
public final class SQLiteDatabase {
    /// The database file (`":memory:"` for an in-memory database).
    public let path: String
    private var handle: OpaquePointer?

    /// How to open a database file.
    public enum OpenMode: Sendable, Hashable {
        /// Read only; the file must exist.
        case readOnly
        /// Read and write; the file must exist.
        case readWrite
        /// Read and write; the file is created when missing.
        case readWriteCreate

        var flags: Int32 {
            switch self {
            case .readOnly: return SQLITE_OPEN_READONLY
            case .readWrite: return SQLITE_OPEN_READWRITE
            case .readWriteCreate: return SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
            }
        }
    }

    /// Opens (or creates) a database.
    ///
    /// - Parameters:
    ///   - path: The database file, or `":memory:"`.
    ///   - mode: Access mode; ``OpenMode/readWriteCreate`` by default.
    /// - Throws: ``SQLiteError`` when the file cannot be opened.
    public init(path: String, mode: OpenMode = .readWriteCreate) throws(SQLiteError) {
        self.path = path
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, mode.flags, nil)
        if rc != SQLITE_OK {
            let error = SQLiteError.from(db, code: rc, sql: nil, path: path)
            sqlite3_close_v2(db)
            throw error
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        // Statements hold a strong reference to the database, so none is alive here.
        if let handle { sqlite3_close_v2(handle) }
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { handle == nil }

    /// The raw connection, for error reporting by ``SQLiteStatement``.
    var rawHandle: OpaquePointer? { handle }

    /// Closes the connection now, reporting errors (`deinit` closes silently).
    ///
    /// - Throws: ``SQLiteError`` with `SQLITE_BUSY` when statements of this database are still
    ///   alive and not finalized.
    public func close() throws(SQLiteError) {
        guard let db = handle else { return }
        let rc = sqlite3_close(db)
        if rc != SQLITE_OK { throw SQLiteError.from(db, code: rc, sql: nil, path: path) }
        handle = nil
    }

    /// Runs one or more SQL statements separated by semicolons, discarding result rows.
    ///
    /// - Parameter sql: The SQL script.
    /// - Throws: ``SQLiteError`` for the first statement that fails.
    public func execute(_ sql: String) throws(SQLiteError) {
        let db = try liveHandle(sql: sql)
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            var error = SQLiteError.from(db, code: rc, sql: sql, path: path)
            if let message { error.message = String(cString: message) }
            sqlite3_free(message)
            throw error
        }
    }

    /// Prepares a single SQL statement.
    ///
    /// - Parameter sql: Exactly one statement, with `?` parameters.
    /// - Returns: The prepared statement.
    /// - Throws: ``SQLiteError`` for a syntax error, an unknown table, or text after the first
    ///   statement (`SQLITE_MISUSE`).
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        let db = try liveHandle(sql: sql)
        var stmt: OpaquePointer?
        var trailing = ""
        let rc = sql.withCString { start -> Int32 in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(db, start, -1, &stmt, &tail)
            if rc == SQLITE_OK, let tail { trailing = String(cString: tail) }
            return rc
        }
        if rc != SQLITE_OK { throw SQLiteError.from(db, code: rc, sql: sql, path: path) }
        guard let stmt else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "no SQL statement", sql: sql, path: path)
        }
        if trailing.contains(where: { !($0.isWhitespace || $0 == ";") }) {
            sqlite3_finalize(stmt)
            throw SQLiteError(
                code: SQLITE_MISUSE, message: "more than one statement; use execute for scripts", sql: sql,
                path: path)
        }
        return SQLiteStatement(database: self, handle: stmt, sql: sql)
    }

    /// Prepares, binds and runs one statement, discarding any rows.
    ///
    /// - Parameters:
    ///   - sql: One statement.
    ///   - values: One value per `?` parameter.
    /// - Throws: ``SQLiteError``.
    public func run(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) {
        let statement = try prepare(sql)
        defer { statement.finalize() }
        try statement.run(values)
    }

    /// Prepares, binds and runs one query, returning all its rows.
    ///
    /// - Parameters:
    ///   - sql: One statement.
    ///   - values: One value per `?` parameter.
    /// - Returns: Every row, in SQLite's order.
    /// - Throws: ``SQLiteError``.
    public func query(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> [SQLiteRow] {
        let statement = try prepare(sql)
        defer { statement.finalize() }
        return try statement.rows(values)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`; on any error thrown by `body` or by
    /// `COMMIT`, rolls back and rethrows.
    ///
    /// - Parameter body: The work to do atomically.
    /// - Returns: What `body` returns.
    /// - Throws: The error from `body`, or ``SQLiteError`` from `BEGIN`/`COMMIT`.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try begin()
        do {
            let result = try body()
            try commit()
            return result
        } catch {
            rollback()
            throw error
        }
    }

    /// Starts a write transaction (`BEGIN IMMEDIATE`).
    ///
    /// - Throws: ``SQLiteError``, e.g. when a transaction is already open.
    public func begin() throws(SQLiteError) { try execute("BEGIN IMMEDIATE") }

    /// Commits the open transaction.
    ///
    /// - Throws: ``SQLiteError``; the transaction stays open on failure (call ``rollback()``).
    public func commit() throws(SQLiteError) { try execute("COMMIT") }

    /// Rolls back the open transaction, if any; errors are ignored (there is nothing left to undo).
    public func rollback() {
        guard let db = handle, sqlite3_get_autocommit(db) == 0 else { return }
        sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
    }

    /// Whether a transaction is open.
    public var isInTransaction: Bool {
        handle.map { sqlite3_get_autocommit($0) == 0 } ?? false
    }

    /// Row id of the last successful `INSERT` on this connection.
    public var lastInsertRowID: Int64 {
        handle.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Rows changed by the last `INSERT`, `UPDATE` or `DELETE`.
    public var changes: Int {
        handle.map { Int(sqlite3_changes($0)) } ?? 0
    }

    private func liveHandle(sql: String?) throws(SQLiteError) -> OpaquePointer {
        guard let handle else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "database is closed", sql: sql, path: path)
        }
        return handle
    }
}
