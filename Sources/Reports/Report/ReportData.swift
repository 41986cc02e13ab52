/// The runs and per-policy summaries of a results database, loaded for comparison reports.
///
/// ```swift
/// let db = try RunDatabase.openForReading("study.sqlite")
/// let data = try ReportData.load(from: db)
/// for result in data.results { print(data.label(of: result), result.number("throughput_req_s") ?? 0) }
/// ```
public struct ReportData: Sendable, Hashable {
    /// The database file.
    public var path: String
    /// Its schema version.
    public var schemaVersion: Int
    /// The runs, by `run_id`.
    public var runs: [ReportRun]
    /// Summary rows in run order, then in the order the run wrote them.
    public var results: [ReportResult]
    /// Whether the database has a `steps` table with at least one row for the loaded runs.
    public var hasSteps: Bool

    /// Creates report data.
    public init(path: String, schemaVersion: Int, runs: [ReportRun], results: [ReportResult], hasSteps: Bool) {
        self.path = path
        self.schemaVersion = schemaVersion
        self.runs = runs
        self.results = results
        self.hasSteps = hasSteps
    }

    /// Loads the runs (all, or those in `runIDs`) and their summaries.
    ///
    /// - Parameters:
    ///   - database: A database opened with ``RunDatabase/openForReading(_:)``.
    ///   - runIDs: Runs to load, in the order given; `nil` for every run.
    /// - Returns: The data.
    /// - Throws: ``ReportDatabaseError/noRuns(path:)`` when there is nothing to report,
    ///   ``ReportDatabaseError/unknownRuns(path:runIDs:)`` for ids not in the file, ``SQLiteError``.
    public static func load(from database: SQLiteDatabase, runIDs: [Int64]? = nil) throws -> ReportData {
        let version = Int(try database.query("PRAGMA user_version").first?[0].integerValue ?? 0)
        let allRuns = try database.query("SELECT * FROM runs ORDER BY run_id").map(ReportRun.init(row:))
        var runs = allRuns
        if let runIDs {
            let missing = runIDs.filter { id in !allRuns.contains { $0.runID == id } }
            if !missing.isEmpty { throw ReportDatabaseError.unknownRuns(path: database.path, runIDs: missing) }
            runs = runIDs.compactMap { id in allRuns.first { $0.runID == id } }
        }
        if runs.isEmpty { throw ReportDatabaseError.noRuns(path: database.path) }
        var results: [ReportResult] = []
        for run in runs {
            results += try database.query(
                "SELECT * FROM summary WHERE run_id = ? ORDER BY rowid", [.integer(run.runID)]
            )
            .map(ReportResult.init(row:))
        }
        var hasSteps = false
        if !(try ReportSchema.columnNames(of: "steps", in: database)).isEmpty {
            for run in runs where !hasSteps {
                hasSteps = !(try database.query("SELECT 1 FROM steps WHERE run_id = ? LIMIT 1", [.integer(run.runID)]))
                    .isEmpty
            }
        }
        return ReportData(path: database.path, schemaVersion: version, runs: runs, results: results, hasSteps: hasSteps)
    }

    /// The run with `runID`.
    public func run(_ runID: Int64) -> ReportRun? {
        runs.first { $0.runID == runID }
    }

    /// The label of a result in tables and charts: the policy, followed by the run's name (or
    /// `run N`) when the data holds more than one run.
    public func label(of result: ReportResult) -> String {
        guard runs.count > 1 else { return result.policy }
        let name = run(result.runID)?.name ?? ""
        return result.policy + " · " + (name.isEmpty ? "run \(result.runID)" : name)
    }

    /// The result of `policy` in the same run as `result`, if the run has it.
    public func baseline(for result: ReportResult, policy: String) -> ReportResult? {
        results.first { $0.runID == result.runID && $0.policy == policy }
    }
}
