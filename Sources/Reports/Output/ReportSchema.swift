import TangramSim

/// The output tables: their columns (the same in CSV and SQLite), how a metrics value becomes a
/// row, and the versioned SQLite schema.
///
/// SQLite schema version 1 (`PRAGMA user_version = 1`, also `meta.schema_version`):
/// - `meta(key, value)`: `schema_version`, `generator`;
/// - `runs(run_id, name, model, gpu, workload, seed, tool_version, calibration_id, configuration_json)`;
/// - `summary(run_id, <summary columns>)`, one row per run and policy;
/// - `requests(run_id, <request columns>)`, one row per finished request.
///
/// `run_id` is assigned by SQLite (1 for a new file), so several runs can share one database.
/// Later versions add tables and columns; they never rename or drop version-1 columns.
public enum ReportSchema {
    /// The SQLite schema version this build writes.
    public static let version = 1

    /// Columns of `summary.csv` and the `summary` table (the table adds `run_id` first).
    public static let summaryColumns: [ReportColumn] = {
        var columns = [
            ReportColumn("policy", "TEXT", "policy name"),
            ReportColumn("completed_requests", "INTEGER", "requests finished"),
            ReportColumn("completed_sessions", "INTEGER", "sessions whose last turn finished"),
            ReportColumn("simulated_duration_s", "REAL", "simulated seconds from start to the last completion"),
            ReportColumn("throughput_req_s", "REAL", "completed requests per simulated second"),
            ReportColumn("throughput_output_tok_s", "REAL", "output tokens per simulated second"),
        ]
        for (metric, meaning) in [
            ("ttft", "time to first token"), ("tpot", "time per output token after the first"),
            ("e2e", "end-to-end latency"),
        ] {
            for stat in ["mean", "p50", "p90", "p99"] {
                columns.append(ReportColumn("\(metric)_\(stat)_s", "REAL", "\(stat) of \(meaning), seconds"))
            }
        }
        columns += [
            ReportColumn("preemptions", "INTEGER", "preemptions (recompute) over the run"),
            ReportColumn("kv_capacity_bytes", "INTEGER", "KV cache capacity of the replica"),
            ReportColumn("kv_peak_allocated_bytes", "INTEGER", "most KV bytes in allocated blocks at once"),
            ReportColumn("kv_peak_used_bytes", "INTEGER", "most KV bytes holding real tokens at once"),
            ReportColumn("cached_prompt_tokens", "INTEGER", "prompt tokens served from the prefix cache"),
            ReportColumn("prompt_tokens", "INTEGER", "prompt tokens over the run"),
            ReportColumn("sim_iterations", "INTEGER", "engine steps simulated"),
            ReportColumn("cost_model", "TEXT", "label of the cost model"),
        ]
        return columns
    }()

    /// Columns of `requests.csv` and the `requests` table (the table adds `run_id` first).
    public static let requestColumns: [ReportColumn] = [
        ReportColumn("policy", "TEXT", "policy name"),
        ReportColumn("request_id", "INTEGER", "request id, in order of arrival within the run"),
        ReportColumn("session_id", "INTEGER", "session id"),
        ReportColumn("turn", "INTEGER", "0-based turn index within the session"),
        ReportColumn("arrival_s", "REAL", "arrival time, simulated seconds from the start"),
        ReportColumn("first_token_s", "REAL", "time the first output token was produced"),
        ReportColumn("finish_s", "REAL", "time the last output token was produced"),
        ReportColumn("prompt_tokens", "INTEGER", "prompt length: whole history plus new input"),
        ReportColumn("cached_tokens", "INTEGER", "prompt tokens served from the prefix cache"),
        ReportColumn("output_tokens", "INTEGER", "output tokens"),
        ReportColumn("preemptions", "INTEGER", "times the request was preempted and recomputed"),
        ReportColumn("ttft_s", "REAL", "first_token_s - arrival_s"),
        ReportColumn("tpot_s", "REAL", "(finish_s - first_token_s) / (output_tokens - 1); 0 for one token"),
        ReportColumn("e2e_s", "REAL", "finish_s - arrival_s"),
    ]

    /// The summary row of one policy, in ``summaryColumns`` order. Byte counts that are whole
    /// numbers are written as integers.
    ///
    /// - Parameter summary: One policy's results.
    /// - Returns: One value per summary column.
    public static func summaryValues(_ summary: PolicySummary) -> [SQLiteValue] {
        var values: [SQLiteValue] = [
            .text(summary.policy), .int(summary.completedRequests), .int(summary.completedSessions),
            .real(summary.simulatedDurationSeconds), .real(summary.throughputRequestsPerSecond),
            .real(summary.throughputOutputTokensPerSecond),
        ]
        for latency in [summary.ttft, summary.tpot, summary.e2e] {
            values += [.real(latency.mean), .real(latency.p50), .real(latency.p90), .real(latency.p99)]
        }
        values += [
            .int(summary.preemptions), .wholeOrReal(summary.kvCapacityBytes),
            .wholeOrReal(summary.kvPeakAllocatedBytes), .wholeOrReal(summary.kvPeakUsedBytes),
            .int(summary.cachedPromptTokens), .int(summary.promptTokens), .int(summary.simIterations),
            .text(summary.costModel),
        ]
        return values
    }

    /// The row of one finished request, in ``requestColumns`` order.
    ///
    /// - Parameters:
    ///   - policy: The policy that served the request.
    ///   - request: The finished request.
    /// - Returns: One value per request column.
    public static func requestValues(policy: String, _ request: RequestRecord) -> [SQLiteValue] {
        [
            .text(policy), .int(request.requestID), .int(request.sessionID), .int(request.turn),
            .real(request.arrivalSeconds), .real(request.firstTokenSeconds), .real(request.finishSeconds),
            .int(request.promptTokens), .int(request.cachedTokens), .int(request.outputTokens),
            .int(request.preemptions), .real(request.ttftSeconds), .real(request.tpotSeconds),
            .real(request.e2eSeconds),
        ]
    }

    /// `CREATE TABLE IF NOT EXISTS` statements of schema version 1.
    public static var createStatements: [String] {
        func table(_ name: String, _ columns: [ReportColumn]) -> String {
            // Only TEXT columns are NOT NULL: SQLite stores a NaN (in REAL or byte columns) as NULL.
            let body = columns.map { "\($0.name) \($0.sqlType)\($0.sqlType == "TEXT" ? " NOT NULL" : "")" }
                .joined(separator: ", ")
            return "CREATE TABLE IF NOT EXISTS \(name) (run_id INTEGER NOT NULL REFERENCES runs(run_id), \(body))"
        }
        return [
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
            """
            CREATE TABLE IF NOT EXISTS runs (run_id INTEGER PRIMARY KEY, name TEXT NOT NULL, \
            model TEXT NOT NULL, gpu TEXT NOT NULL, workload TEXT NOT NULL, seed INTEGER, \
            tool_version TEXT NOT NULL, calibration_id TEXT, configuration_json TEXT NOT NULL)
            """,
            table("summary", summaryColumns),
            table("requests", requestColumns),
        ]
    }

    /// Index statements, run after bulk inserts.
    public static let indexStatements = [
        "CREATE INDEX IF NOT EXISTS summary_by_run ON summary (run_id, policy)",
        "CREATE INDEX IF NOT EXISTS requests_by_run ON requests (run_id, policy, request_id)",
    ]

    /// Creates the version-1 tables in `database` when missing, and records the version.
    ///
    /// - Parameter database: An open, writable database, new or written by this schema before.
    /// - Throws: ``SQLiteError``; `SQLITE_MISMATCH` (20) when the file has a different schema
    ///   version (`PRAGMA user_version`).
    public static func prepare(_ database: SQLiteDatabase) throws(SQLiteError) {
        let existing = try database.query("PRAGMA user_version").first?[0].integerValue ?? 0
        let tables = try database.query("SELECT count(*) FROM sqlite_master").first?[0].integerValue ?? 0
        if existing != Int64(version) && !(existing == 0 && tables == 0) {
            throw SQLiteError(
                code: 20 /* SQLITE_MISMATCH */,
                message: "database has schema version \(existing); this build reads and writes version \(version)",
                sql: nil, path: database.path)
        }
        for sql in createStatements { try database.execute(sql) }
        try database.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", [.text("\(version)")])
        try database.run("INSERT OR IGNORE INTO meta (key, value) VALUES ('generator', 'tangram-sim')")
        try database.execute("PRAGMA user_version = \(version)")
    }

    /// Inserts a row into `runs`.
    ///
    /// - Parameters:
    ///   - run: The run's metadata.
    ///   - database: A database prepared with ``prepare(_:)``.
    /// - Returns: The new `run_id`.
    /// - Throws: ``SQLiteError``.
    public static func insertRun(_ run: RunMetadata, into database: SQLiteDatabase) throws(SQLiteError) -> Int64 {
        try database.run(
            """
            INSERT INTO runs (name, model, gpu, workload, seed, tool_version, calibration_id, configuration_json) \
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(run.name), .text(run.model), .text(run.gpu), .text(run.workload),
                run.seed.map { .int($0) } ?? .null, .text(run.toolVersion),
                run.calibrationID.map { .text($0) } ?? .null, .text(run.configurationJSON),
            ])
        return database.lastInsertRowID
    }
}
