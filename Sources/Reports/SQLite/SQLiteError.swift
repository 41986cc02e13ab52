import CSQLite

/// A failed SQLite call: result code, SQLite's message, and the SQL and database involved.
public struct SQLiteError: Error, Hashable, Sendable {
    /// Primary result code (`SQLITE_ERROR` = 1, `SQLITE_BUSY` = 5, `SQLITE_CONSTRAINT` = 19, …).
    public var code: Int32
    /// Extended result code (e.g. 2067 `SQLITE_CONSTRAINT_UNIQUE`); equal to ``code`` when none.
    public var extendedCode: Int32
    /// SQLite's message (`sqlite3_errmsg`), or a description written by this wrapper.
    public var message: String
    /// The SQL being prepared or run, if any.
    public var sql: String?
    /// The database file.
    public var path: String

    /// Creates an error.
    public init(code: Int32, extendedCode: Int32? = nil, message: String, sql: String?, path: String) {
        self.code = code
        self.extendedCode = extendedCode ?? code
        self.message = message
        self.sql = sql
        self.path = path
    }

    /// The error SQLite reports on `handle` for result `code`.
    static func from(_ handle: OpaquePointer?, code: Int32, sql: String?, path: String) -> SQLiteError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        let extended = handle.map { sqlite3_extended_errcode($0) } ?? code
        return SQLiteError(code: code & 0xFF, extendedCode: extended, message: message, sql: sql, path: path)
    }
}

extension SQLiteError: CustomStringConvertible {
    /// `PATH: SQLite error CODE (generic text): MESSAGE; SQL: ...`.
    public var description: String {
        var text = "\(path): SQLite error \(code) (\(String(cString: sqlite3_errstr(code)))): \(message)"
        if let sql { text += "; SQL: \(sql)" }
        return text
    }
}
