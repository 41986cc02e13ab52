import TangramSim

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The output of one simulation run with one or more policies: an output folder (`--out`) with
/// one CSV file per table and `results.sqlite`, and/or a run appended to a shared database
/// (`--db`).
///
/// The folder holds `runs.csv`, `summary.csv`, `requests.csv`, `sessions.csv`, `steps.csv`,
/// `memory.csv` and `results.sqlite` (schema in ``ReportSchema``). Requests and step samples
/// are streamed: each ``record(policy:_:)`` and ``record(policy:step:)`` appends one row to a
/// 64 KiB CSV buffer that is flushed to the temporary CSV file, and inserts one row into the
/// temporary database (committed every 8192 rows), so memory does not grow with the run.
///
/// Everything is written to temporary files (in the folder, or next to the `--db` file); only
/// ``finish(summaries:status:)`` derives the `sessions` table, appends the run to the `--db`
/// database in one transaction, and renames the folder's files into place. ``abandon()``, any
/// error thrown by this type, or dropping the object before ``finish(summaries:status:)``
/// removes the temporary files and leaves the folder and the database as they were.
///
/// The CSV files and `results.sqlite` depend only on the calls made, so the same inputs give
/// byte-identical files.
///
/// ```swift
/// let out = try RunOutput(directory: "out", run: metadata, database: "study.sqlite")
/// for record in finished { try out.record(policy: "vllm", record) }
/// for sample in samples { try out.record(policy: "vllm", step: sample) }
/// let saved = try out.finish(summaries: [summary])
/// print(saved)  // wrote out/: runs.csv, …; and run 3 of study.sqlite (…)
/// ```
public final class RunOutput {
    /// File name of the per-policy summary.
    public static let summaryFileName = "summary.csv"
    /// File name of the per-request table.
    public static let requestsFileName = "requests.csv"
    /// File name of the SQLite database.
    public static let databaseFileName = "results.sqlite"
    /// Request and step rows per SQLite transaction.
    static let rowsPerTransaction = 8192

    /// The output folder (created when missing), or `nil` when the run only goes to a database.
    public let directory: String?
    /// The database the run is appended to on finish (`--db`), if any.
    public let appendDatabasePath: String?
    /// The run's metadata, as stored in the `runs` table.
    public let run: RunMetadata
    /// This run's `run_id` in the folder's `results.sqlite` (always 1). The id in the `--db`
    /// database is known after finishing: ``SavedRun/appendedRunID``.
    public let runID: Int64
    /// Requests recorded so far.
    public private(set) var recordedRequestCount = 0
    /// Step samples recorded so far.
    public private(set) var recordedStepCount = 0

    private enum Stage { case open, finished, abandoned }
    private var stage = Stage.open
    /// The SQLite file being written: the folder's `results.sqlite`, or a hidden temporary next
    /// to the `--db` file that is removed after the append.
    private let stagingFile: AtomicFile
    /// CSV streams by table name (empty without a folder).
    private var csv: [String: CSVStream] = [:]
    private var database: SQLiteDatabase?
    private var insertRequest: SQLiteStatement?
    private var insertStep: SQLiteStatement?
    private var rowsInTransaction = 0
    /// Policies in the order their first request was recorded.
    private var requestPolicies: [String] = []
    private var memoryIndices: [Int] = []

    /// Final path of `summary.csv` (in the output folder, or `""` without one).
    public var summaryPath: String { path(Self.summaryFileName) }
    /// Final path of `requests.csv`.
    public var requestsPath: String { path(Self.requestsFileName) }
    /// Final path of `results.sqlite`.
    public var databasePath: String { path(Self.databaseFileName) }

    /// Opens the temporary files; writes the CSV headers, the database schema and the `runs` row.
    ///
    /// - Parameters:
    ///   - directory: Output folder, created when missing; existing files of the same names are
    ///     replaced on finish. `nil` writes no folder (then `database` is required).
    ///   - run: Metadata stored in the `runs` table.
    ///   - database: A database to append the run to on finish (created when missing), or `nil`.
    /// - Throws: ``RunOutputError/noDestination`` when both are `nil`,
    ///   ``ReportDatabaseError/sameFile(path:)`` when `database` is the folder's
    ///   `results.sqlite`, ``ReportDatabaseError/schemaVersion(path:found:expected:)`` when the
    ///   existing `database` has another schema version (checked now, before any simulation),
    ///   ``FileError`` or ``SQLiteError``; no temporary file is left behind.
    public init(directory: String?, run: RunMetadata, database: String? = nil) throws {
        guard directory != nil || database != nil else { throw RunOutputError.noDestination }
        self.directory = directory
        self.appendDatabasePath = database
        self.run = run
        if let database {
            if let directory, Self.samePlace(database, FileIO.join(directory, Self.databaseFileName)) {
                throw ReportDatabaseError.sameFile(path: database)
            }
            try Self.checkAppendable(database)
        }
        if let directory { try FileIO.makeDirectories(directory) }
        if let directory {
            stagingFile = try AtomicFile(destinationPath: FileIO.join(directory, Self.databaseFileName))
        } else {
            stagingFile = try AtomicFile(destinationPath: database!, createDirectories: true)
        }
        do {
            if let directory {
                for table in ReportSchema.tables {
                    csv[table.name] = try CSVStream(
                        path: FileIO.join(directory, table.csvFileName), header: table.columns.map(\.name))
                }
            }
            let stepNames = ReportSchema.stepColumns.map(\.name)
            memoryIndices = ReportSchema.memoryColumnNames.map { stepNames.firstIndex(of: $0)! }
            let db = try SQLiteDatabase(path: stagingFile.temporaryPath)
            self.database = db
            // The temporary file is thrown away on any failure, so SQLite's crash safety is not
            // needed while writing; AtomicFile.commit() fsyncs the finished file.
            try db.execute("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF")
            try db.begin()
            try ReportSchema.prepare(db)
            runID = try ReportSchema.insertRun(run, into: db)
            insertRequest = try db.prepare(
                ReportSchema.insertStatement(table: "requests", columns: ReportSchema.requestColumns))
            insertStep = try db.prepare(ReportSchema.insertStatement(table: "steps", columns: ReportSchema.stepColumns))
        } catch {
            insertRequest?.finalize()
            insertStep?.finalize()
            self.database = nil
            for stream in csv.values { stream.file.abandon() }
            Self.removeTemporary(stagingFile)
            throw error
        }
    }

    deinit {
        if stage == .open { abandon() }
    }

    /// Appends one finished request of `policy` to `requests.csv` and the `requests` table.
    ///
    /// - Parameters:
    ///   - policy: The policy that served the request.
    ///   - request: The finished request.
    /// - Throws: ``FileError`` or ``SQLiteError`` (the output is then abandoned), or
    ///   ``RunOutputError`` after ``finish(summaries:status:)`` or ``abandon()``.
    public func record(policy: String, _ request: RequestRecord) throws {
        try checkOpen()
        do {
            let values = ReportSchema.requestValues(policy: policy, request)
            try csv["requests"]?.append(values)
            try insertRequest!.run([.integer(runID)] + values)
            if requestPolicies.last != policy && !requestPolicies.contains(policy) { requestPolicies.append(policy) }
            recordedRequestCount += 1
            try countRow()
        } catch {
            abandon()
            throw error
        }
    }

    /// Appends one sampled engine step of `policy` to `steps.csv`, `memory.csv` and the `steps`
    /// table (the `memory` view shows it).
    ///
    /// - Parameters:
    ///   - policy: The policy being simulated.
    ///   - step: The snapshot.
    /// - Throws: ``FileError`` or ``SQLiteError`` (the output is then abandoned), or
    ///   ``RunOutputError`` after ``finish(summaries:status:)`` or ``abandon()``.
    public func record(policy: String, step: StepSample) throws {
        try checkOpen()
        do {
            let values = ReportSchema.stepValues(policy: policy, step)
            try csv["steps"]?.append(values)
            try csv["memory"]?.append(memoryIndices.map { values[$0] })
            try insertStep!.run([.integer(runID)] + values)
            recordedStepCount += 1
            try countRow()
        } catch {
            abandon()
            throw error
        }
    }

    /// Writes the summaries, the `runs` row and the derived `sessions` table, appends the run to
    /// the `--db` database, and renames the folder's files into place.
    ///
    /// - Parameters:
    ///   - summaries: One summary per policy that finished, in the order the rows should appear.
    ///   - status: How the run ended; with ``RunStatus/interrupted`` the requests and steps
    ///     recorded so far are kept, and `runs.status` says the run is incomplete.
    /// - Returns: What was saved where.
    /// - Throws: ``FileError``, ``SQLiteError`` or ``ReportDatabaseError``: then no output file
    ///   is left (files already renamed in this call are removed again) and the `--db` database
    ///   is unchanged; or ``RunOutputError`` when not open.
    @discardableResult
    public func finish(summaries: [PolicySummary], status: RunStatus = .complete) throws -> SavedRun {
        try checkOpen()
        let saved: SavedRun
        do {
            guard let db = database else { throw RunOutputError.abandoned(directory: place) }
            insertRequest?.finalize()
            insertRequest = nil
            insertStep?.finalize()
            insertStep = nil

            let insertSummary = try db.prepare(
                ReportSchema.insertStatement(table: "summary", columns: ReportSchema.summaryColumns))
            for summary in summaries {
                let values = ReportSchema.summaryValues(summary)
                try csv["summary"]?.append(values)
                try insertSummary.run([.integer(runID)] + values)
            }
            insertSummary.finalize()

            try db.run("UPDATE runs SET status = ? WHERE run_id = ?", [.text(status.rawValue), .integer(runID)])
            try csv["runs"]?.append(ReportSchema.runValues(run, status: status))

            for policy in requestPolicies {
                try db.run(ReportSchema.sessionsInsertStatement, [.integer(runID), .text(policy)])
            }
            let sessionNames = ReportSchema.sessionColumns.map(\.name).joined(separator: ", ")
            let sessions = try db.query(
                "SELECT \(sessionNames) FROM sessions WHERE run_id = ? ORDER BY rowid", [.integer(runID)])
            for row in sessions { try csv["sessions"]?.append(row.values) }

            for sql in ReportSchema.indexStatements { try db.execute(sql) }
            try db.commit()
            try db.close()
            database = nil

            let streams = ReportSchema.tables.compactMap { csv[$0.name] }
            for stream in streams { try stream.sync() }
            try stagingFile.sync()

            var appendedRunID: Int64?
            if let appendDatabasePath {
                appendedRunID = try RunDatabase.append(from: stagingFile.temporaryPath, to: appendDatabasePath).first
            }
            var fileNames: [String] = []
            if directory != nil {
                let files = streams.map(\.file) + [stagingFile]
                var renamed: [AtomicFile] = []
                do {
                    for file in files {
                        try file.commit()
                        renamed.append(file)
                    }
                } catch {
                    for file in renamed { unlink(file.destinationPath) }
                    throw error
                }
                fileNames = files.map { FileIO.fileName(of: $0.destinationPath) }
            } else {
                Self.removeTemporary(stagingFile)
            }
            saved = SavedRun(
                directory: directory, fileNames: fileNames, appendedDatabasePath: appendDatabasePath,
                appendedRunID: appendedRunID, status: status, summarizedPolicies: summaries.map(\.policy),
                requestCount: recordedRequestCount, stepCount: recordedStepCount, sessionCount: sessions.count)
        } catch {
            abandon()
            throw error
        }
        stage = .finished
        return saved
    }

    /// Removes the temporary files; nothing is written to the folder or the database. Does
    /// nothing after ``finish(summaries:status:)``.
    public func abandon() {
        guard stage == .open else { return }
        stage = .abandoned
        removeTemporaries()
    }

    /// Paths of the temporary files this output is writing (for messages; they vanish on
    /// finish or abandon).
    public var temporaryPaths: [String] {
        ReportSchema.tables.compactMap { csv[$0.name]?.file.temporaryPath } + [stagingFile.temporaryPath]
    }

    private func removeTemporaries() {
        insertRequest?.finalize()
        insertRequest = nil
        insertStep?.finalize()
        insertStep = nil
        database?.rollback()
        database = nil  // closes the connection (deinit)
        for stream in csv.values { stream.file.abandon() }
        Self.removeTemporary(stagingFile)
    }

    private func countRow() throws(SQLiteError) {
        rowsInTransaction += 1
        if rowsInTransaction >= Self.rowsPerTransaction {
            try database!.commit()
            try database!.begin()
            rowsInTransaction = 0
        }
    }

    /// The folder, or the database, for messages.
    private var place: String { directory ?? appendDatabasePath ?? "" }

    private func path(_ name: String) -> String {
        directory.map { FileIO.join($0, name) } ?? ""
    }

    private func checkOpen() throws(RunOutputError) {
        switch stage {
        case .open: return
        case .finished: throw RunOutputError.alreadyFinished(directory: place)
        case .abandoned: throw RunOutputError.abandoned(directory: place)
        }
    }

    /// Refuses an existing database of another schema version before the run starts.
    private static func checkAppendable(_ path: String) throws {
        guard access(path, F_OK) == 0 else { return }
        let db = try SQLiteDatabase(path: path, mode: .readOnly)
        if let version = try ReportSchema.existingVersion(of: db), version != ReportSchema.version {
            throw ReportDatabaseError.schemaVersion(path: path, found: version, expected: ReportSchema.version)
        }
        try db.close()
    }

    /// Whether two paths name the same file, whether or not it exists yet: the nearest existing
    /// ancestor folders are resolved (symbolic links, `..`), the rest compared by name.
    static func samePlace(_ a: String, _ b: String) -> Bool {
        resolved(a) == resolved(b)
    }

    private static func resolved(_ path: String) -> String {
        var missing: [String] = []
        var current = path
        while true {
            if let real = RunDatabase.canonicalPath(current) {
                return ([real] + missing.reversed()).joined(separator: "/")
            }
            let parent = FileIO.parentDirectory(of: current)
            missing.append(FileIO.fileName(of: current))
            if parent == current { return path }
            current = parent
        }
    }

    /// Abandons `file` and removes any side files SQLite may have made next to it.
    private static func removeTemporary(_ file: AtomicFile) {
        file.abandon()
        for suffix in ["-journal", "-wal", "-shm"] { unlink(file.temporaryPath + suffix) }
    }
}
