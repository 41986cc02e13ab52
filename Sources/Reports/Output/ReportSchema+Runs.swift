extension ReportSchema {
    /// Columns of `runs.csv` and the `runs` table (the table adds `run_id INTEGER PRIMARY KEY`
    /// first).
    public static let runColumns: [ReportColumn] = [
        ReportColumn("name", "TEXT", "free label of the run, may be empty"),
        ReportColumn("model", "TEXT", "model name"),
        ReportColumn("gpu", "TEXT", "GPU name"),
        ReportColumn("workload", "TEXT", "workload description"),
        ReportColumn("seed", "INTEGER", "random seed; NULL (empty in CSV) when none"),
        ReportColumn("tool_version", "TEXT", "version of tangram-sim"),
        ReportColumn("calibration_id", "TEXT", "cost-model calibration; NULL when none", notNull: false),
        ReportColumn("configuration_json", "TEXT", "the full configuration, as JSON text"),
        // Schema version 2.
        ReportColumn("status", "TEXT", "'complete', or 'interrupted' when the run was stopped early"),
    ]

    /// The `runs` row of a run, in ``runColumns`` order.
    ///
    /// - Parameters:
    ///   - run: The run's metadata.
    ///   - status: How the run ended.
    /// - Returns: One value per run column.
    public static func runValues(_ run: RunMetadata, status: RunStatus) -> [SQLiteValue] {
        [
            .text(run.name), .text(run.model), .text(run.gpu), .text(run.workload), run.seed.map { .int($0) } ?? .null,
            .text(run.toolVersion), run.calibrationID.map { .text($0) } ?? .null, .text(run.configurationJSON),
            .text(status.rawValue),
        ]
    }

    /// Inserts a row into `runs`.
    ///
    /// - Parameters:
    ///   - run: The run's metadata.
    ///   - status: How the run ended; ``RunStatus/complete`` by default.
    ///   - database: A database prepared with ``prepare(_:)``.
    /// - Returns: The new `run_id`.
    /// - Throws: ``SQLiteError``.
    public static func insertRun(
        _ run: RunMetadata, status: RunStatus = .complete, into database: SQLiteDatabase
    ) throws(SQLiteError) -> Int64 {
        let names = runColumns.map(\.name)
        try database.run(
            "INSERT INTO runs (\(names.joined(separator: ", "))) VALUES (\(placeholders(names.count)))",
            runValues(run, status: status))
        return database.lastInsertRowID
    }
}
