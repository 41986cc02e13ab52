import TangramSim

/// The output tables: their columns (the same in CSV and SQLite), how a metrics value becomes a
/// row, and the versioned SQLite schema.
///
/// SQLite schema version 2 (`PRAGMA user_version = 2`, also `meta.schema_version`):
/// - `meta(key, value)`: `schema_version`, `generator`;
/// - `runs(run_id, <run columns>)`, one row per run;
/// - `summary(run_id, <summary columns>)`, one row per run and policy;
/// - `requests(run_id, <request columns>)`, one row per finished request;
/// - `sessions(run_id, <session columns>)`, one row per run, policy and session, derived from
///   `requests` when the run finishes;
/// - `steps(run_id, <step columns>)`, one row per sampled engine step;
/// - `memory`, a view of `steps`: the KV memory timeline.
///
/// `run_id` is assigned by SQLite (1 for a new file), so several runs can share one database.
/// Within a version, later builds only add tables and columns (a database is upgraded in place
/// by adding them when a newer build appends to it); columns are never renamed or dropped.
public enum ReportSchema {
    /// The SQLite schema version this build writes.
    public static let version = 2

    /// Every table and view, in the order they are created (and documented).
    public static var tables: [ReportTable] {
        [
            ReportTable(name: "runs", columns: runColumns, kind: .runs),
            ReportTable(name: "summary", columns: summaryColumns),
            ReportTable(name: "requests", columns: requestColumns),
            ReportTable(name: "sessions", columns: sessionColumns),
            ReportTable(name: "steps", columns: stepColumns),
            ReportTable(name: "memory", columns: memoryColumns, kind: .view(source: "steps")),
        ]
    }

    /// The per-run data tables (each has `run_id` first), in copy order.
    static let dataTableNames = ["summary", "requests", "sessions", "steps"]

    /// `CREATE TABLE IF NOT EXISTS` / `CREATE VIEW IF NOT EXISTS` statements of this version.
    public static var createStatements: [String] {
        ["CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"]
            + tables.map(\.createStatement)
    }

    /// Index statements, run after bulk inserts.
    public static let indexStatements = [
        "CREATE INDEX IF NOT EXISTS summary_by_run ON summary (run_id, policy)",
        "CREATE INDEX IF NOT EXISTS requests_by_run ON requests (run_id, policy, request_id)",
        "CREATE INDEX IF NOT EXISTS sessions_by_run ON sessions (run_id, policy, session_id)",
        "CREATE INDEX IF NOT EXISTS steps_by_run ON steps (run_id, policy, step_index)",
    ]

    /// The schema version of `database`: `PRAGMA user_version`, or `nil` for an empty file.
    ///
    /// - Parameter database: An open database.
    /// - Returns: The version, or `nil` when the file holds no tables at all.
    /// - Throws: ``ReportDatabaseError/notAReportDatabase(path:)`` when the file has tables but
    ///   no `meta` table, and ``SQLiteError``.
    public static func existingVersion(of database: SQLiteDatabase) throws -> Int? {
        let objects = try database.query("SELECT count(*) FROM sqlite_master").first?[0].integerValue ?? 0
        if objects == 0 { return nil }
        let meta = try database.query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
        if meta.first?[0].integerValue ?? 0 == 0 { throw ReportDatabaseError.notAReportDatabase(path: database.path) }
        return Int(try database.query("PRAGMA user_version").first?[0].integerValue ?? 0)
    }

    /// Creates this version's tables in `database` when missing and records the version; in a
    /// database of this version, adds the columns this build knows and the file lacks.
    ///
    /// - Parameter database: An open, writable database, new or written by this schema version.
    /// - Throws: ``ReportDatabaseError/schemaVersion(path:found:expected:)`` when the file has a
    ///   different schema version, ``ReportDatabaseError/notAReportDatabase(path:)`` for a
    ///   database not written by tangram-sim, and ``SQLiteError``.
    public static func prepare(_ database: SQLiteDatabase) throws {
        if let existing = try existingVersion(of: database), existing != version {
            throw ReportDatabaseError.schemaVersion(path: database.path, found: existing, expected: version)
        }
        for sql in createStatements { try database.execute(sql) }
        for table in tables {
            let present = try columnNames(of: table.name, in: database)
            if case .view = table.kind {
                // A view holds no data: recreate it when this build selects other columns.
                if present != ["run_id"] + table.columns.map(\.name) {
                    try database.execute("DROP VIEW IF EXISTS \(table.name)")
                    try database.execute(table.createStatement)
                }
                continue
            }
            for column in table.columns where !present.contains(column.name) {
                try database.execute("ALTER TABLE \(table.name) ADD COLUMN \(column.addedDefinition)")
            }
        }
        try database.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", [.text("\(version)")])
        try database.run("INSERT OR IGNORE INTO meta (key, value) VALUES ('generator', 'tangram-sim')")
        try database.execute("PRAGMA user_version = \(version)")
    }

    /// Column names of a table or view, in declaration order (empty when it does not exist).
    ///
    /// - Parameters:
    ///   - table: Table or view name; `schema.table` names a table of an attached database.
    ///   - database: An open database.
    /// - Returns: The names, `run_id` included.
    /// - Throws: ``SQLiteError``.
    public static func columnNames(of table: String, in database: SQLiteDatabase) throws(SQLiteError) -> [String] {
        let parts = table.split(separator: ".", maxSplits: 1).map(String.init)
        let sql =
            parts.count == 2 ? "PRAGMA \(parts[0]).table_info(\(parts[1]))" : "PRAGMA table_info(\(table))"
        return try database.query(sql).compactMap { $0["name"]?.textValue }
    }

    /// `?, ?, …` with `count` placeholders.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// `INSERT INTO table (run_id, columns…) VALUES (?, …)`.
    static func insertStatement(table: String, columns: [ReportColumn]) -> String {
        let names = ["run_id"] + columns.map(\.name)
        return "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(placeholders(names.count)))"
    }
}
