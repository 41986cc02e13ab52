#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Several runs in one results database: appending runs to it (`--db PATH`) and opening it for
/// reports.
///
/// Appending copies every run of a source database (normally the `results.sqlite` a
/// ``RunOutput`` just wrote) into the target in **one** transaction, with fresh `run_id`s: the
/// target holds either all of the new runs or none of them, and a crash or SIGINT during the copy
/// leaves it as it was (SQLite's rollback journal). The target is created when missing; a target
/// of another schema version is refused with ``ReportDatabaseError/schemaVersion(path:found:expected:)``.
/// Columns this build knows and an older file of the same version lacks are added first.
///
/// ```swift
/// let ids = try RunDatabase.append(from: "out/results.sqlite", to: "study.sqlite")
/// let db = try RunDatabase.openForReading("study.sqlite")
/// ```
public enum RunDatabase {
    /// Milliseconds to wait for another process's write lock on the target before failing.
    public static let busyTimeoutMilliseconds = 60_000

    /// Copies every run of `sourcePath` into `targetPath` (created when missing).
    ///
    /// - Parameters:
    ///   - sourcePath: A results database of this schema version.
    ///   - targetPath: The database to append to.
    /// - Returns: The new `run_id`s in the target, in the source's run order.
    /// - Throws: ``ReportDatabaseError`` for a missing source or a schema mismatch,
    ///   ``FileError`` when the target's folder cannot be created, ``SQLiteError``. The target is
    ///   unchanged on any error.
    @discardableResult
    public static func append(from sourcePath: String, to targetPath: String) throws -> [Int64] {
        guard access(sourcePath, F_OK) == 0 else { throw ReportDatabaseError.missing(path: sourcePath) }
        if let a = canonicalPath(sourcePath), a == canonicalPath(targetPath) {
            throw ReportDatabaseError.sameFile(path: targetPath)
        }
        do {
            let source = try SQLiteDatabase(path: sourcePath, mode: .readOnly)
            let version = try ReportSchema.existingVersion(of: source)
            if version != ReportSchema.version {
                throw ReportDatabaseError.schemaVersion(
                    path: sourcePath, found: version ?? 0, expected: ReportSchema.version)
            }
            try source.close()
        }
        try FileIO.makeDirectories(FileIO.parentDirectory(of: targetPath))
        let target = try SQLiteDatabase(path: targetPath)
        defer { try? target.close() }
        try target.execute("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
        try target.execute("ATTACH DATABASE \(SQLiteValue.text(sourcePath)) AS source")
        defer { try? target.execute("DETACH DATABASE source") }
        return try target.transaction { () throws -> [Int64] in
            try ReportSchema.prepare(target)
            var newIDs: [Int64] = []
            let sourceRunColumns = Set(try ReportSchema.columnNames(of: "source.runs", in: target))
            let runNames = ReportSchema.runColumns.map(\.name).filter { sourceRunColumns.contains($0) }
            let runs = try target.query("SELECT run_id FROM source.runs ORDER BY run_id")
            for run in runs {
                guard let oldID = run[0].integerValue else { continue }
                try target.run(
                    "INSERT INTO main.runs (\(runNames.joined(separator: ", "))) "
                        + "SELECT \(runNames.joined(separator: ", ")) FROM source.runs WHERE run_id = ?",
                    [.integer(oldID)])
                let newID = target.lastInsertRowID
                newIDs.append(newID)
                for table in ReportSchema.dataTableNames {
                    let sourceColumns = try ReportSchema.columnNames(of: "source.\(table)", in: target)
                    let targetColumns = Set(try ReportSchema.columnNames(of: "main.\(table)", in: target))
                    let names = sourceColumns.filter { $0 != "run_id" && targetColumns.contains($0) }
                    guard !names.isEmpty else { continue }
                    let list = names.joined(separator: ", ")
                    try target.run(
                        "INSERT INTO main.\(table) (run_id, \(list)) SELECT ?, \(list) FROM source.\(table) "
                            + "WHERE run_id = ? ORDER BY rowid",
                        [.integer(newID), .integer(oldID)])
                }
            }
            for sql in ReportSchema.indexStatements { try target.execute(sql) }
            return newIDs
        }
    }

    /// Opens a results database read-only for reports.
    ///
    /// Schema versions 1 up to this build's are accepted: versions only add tables and columns,
    /// and the reports skip what an older file lacks.
    ///
    /// - Parameter path: The database file.
    /// - Returns: The open database.
    /// - Throws: ``ReportDatabaseError`` for a missing file, a file not written by tangram-sim
    ///   or a newer schema version; ``SQLiteError``.
    public static func openForReading(_ path: String) throws -> SQLiteDatabase {
        guard access(path, F_OK) == 0 else { throw ReportDatabaseError.missing(path: path) }
        let db = try SQLiteDatabase(path: path, mode: .readOnly)
        guard let version = try ReportSchema.existingVersion(of: db) else {
            throw ReportDatabaseError.noRuns(path: path)
        }
        if version > ReportSchema.version || version < 1 {
            throw ReportDatabaseError.schemaVersion(path: path, found: version, expected: ReportSchema.version)
        }
        try db.execute("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
        return db
    }

    /// The absolute path with symbolic links resolved, or `nil` when the file does not exist.
    static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
