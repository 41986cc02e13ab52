import TangramSim

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The output folder of one simulation run with one or more policies: `summary.csv`,
/// `requests.csv` and `results.sqlite` (tables `meta`, `runs`, `summary`, `requests`).
///
/// Requests are streamed: each ``record(policy:_:)`` appends one row to a 64 KiB CSV buffer that
/// is flushed to the temporary `requests.csv`, and inserts one row into the temporary database
/// (committed every 8192 rows), so memory does not grow with the number of requests. Everything
/// is written to temporary files in `directory`; only ``finish(summaries:)`` renames them into
/// place. ``abandon()``, any error thrown by this type, or dropping the object before
/// ``finish(summaries:)`` removes the temporary files and leaves the folder as it was.
///
/// The CSV files depend only on the calls made (rows in call order, numbers formatted
/// deterministically), so the same inputs give byte-identical `summary.csv` and `requests.csv`.
///
/// ```swift
/// let out = try RunOutput(directory: "out", run: metadata)
/// for record in finished { try out.record(policy: "vllm", record) }
/// try out.finish(summaries: [summary])
/// ```
public final class RunOutput {
    /// File name of the per-policy summary.
    public static let summaryFileName = "summary.csv"
    /// File name of the per-request table.
    public static let requestsFileName = "requests.csv"
    /// File name of the SQLite database.
    public static let databaseFileName = "results.sqlite"
    /// CSV bytes buffered before a write to the temporary file.
    static let flushThresholdBytes = 1 << 16
    /// Request rows per SQLite transaction.
    static let rowsPerTransaction = 8192

    /// The output folder (created when missing).
    public let directory: String
    /// The run's metadata, as stored in the `runs` table.
    public let run: RunMetadata
    /// This run's `run_id` in `results.sqlite`.
    public let runID: Int64
    /// Requests recorded so far.
    public private(set) var recordedRequestCount = 0

    private enum Stage { case open, finished, abandoned }
    private var stage = Stage.open
    private let requestsFile: AtomicFile
    private let summaryFile: AtomicFile
    private let databaseFile: AtomicFile
    private var database: SQLiteDatabase?
    private var insertRequest: SQLiteStatement?
    private var requestsCSV = CSVWriter(capacityBytes: RunOutput.flushThresholdBytes + 4096)
    private var rowsInTransaction = 0

    /// Final path of `summary.csv`.
    public var summaryPath: String { FileIO.join(directory, Self.summaryFileName) }
    /// Final path of `requests.csv`.
    public var requestsPath: String { FileIO.join(directory, Self.requestsFileName) }
    /// Final path of `results.sqlite`.
    public var databasePath: String { FileIO.join(directory, Self.databaseFileName) }

    /// Creates the folder if needed and opens the temporary files; writes the CSV headers and the
    /// database schema and `runs` row.
    ///
    /// - Parameters:
    ///   - directory: Output folder; existing files of the same names are replaced on finish.
    ///   - run: Metadata stored in the `runs` table.
    /// - Throws: ``FileError`` or ``SQLiteError``; no temporary file is left behind.
    public init(directory: String, run: RunMetadata) throws {
        self.directory = directory
        self.run = run
        try FileIO.makeDirectories(directory)
        requestsFile = try AtomicFile(destinationPath: FileIO.join(directory, Self.requestsFileName))
        var created = [requestsFile]
        do {
            summaryFile = try AtomicFile(destinationPath: FileIO.join(directory, Self.summaryFileName))
            created.append(summaryFile)
            databaseFile = try AtomicFile(destinationPath: FileIO.join(directory, Self.databaseFileName))
            created.append(databaseFile)
            let db = try SQLiteDatabase(path: databaseFile.temporaryPath)
            database = db
            // The temporary file is thrown away on any failure, so SQLite's crash safety is not
            // needed while writing; AtomicFile.commit() fsyncs the finished file.
            try db.execute("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF")
            try db.begin()
            try ReportSchema.prepare(db)
            runID = try ReportSchema.insertRun(run, into: db)
            let columns = ["run_id"] + ReportSchema.requestColumns.map(\.name)
            insertRequest = try db.prepare(
                "INSERT INTO requests (\(columns.joined(separator: ", "))) VALUES (\(Self.placeholders(columns.count)))"
            )
            requestsCSV.writeRecord(ReportSchema.requestColumns.map(\.name))
        } catch {
            insertRequest?.finalize()
            insertRequest = nil
            database = nil
            for file in created { Self.removeTemporary(file) }
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
    ///   ``RunOutputError`` after ``finish(summaries:)`` or ``abandon()``.
    public func record(policy: String, _ request: RequestRecord) throws {
        try checkOpen()
        do {
            let values = ReportSchema.requestValues(policy: policy, request)
            requestsCSV.writeRecord(values: values)
            if requestsCSV.byteCount >= Self.flushThresholdBytes { try requestsFile.write(requestsCSV.takeBytes()) }
            try insertRequest!.run([.integer(runID)] + values)
            rowsInTransaction += 1
            if rowsInTransaction >= Self.rowsPerTransaction {
                try database!.commit()
                try database!.begin()
                rowsInTransaction = 0
            }
            recordedRequestCount += 1
        } catch {
            abandon()
            throw error
        }
    }

    /// Writes the summaries, completes all three files and renames them into place.
    ///
    /// - Parameter summaries: One summary per policy, in the order the rows should appear.
    /// - Throws: ``FileError`` or ``SQLiteError`` (no output file is left: files already renamed
    ///   in this call are removed again), or ``RunOutputError`` when not open.
    public func finish(summaries: [PolicySummary]) throws {
        try checkOpen()
        do {
            guard let db = database, let insertRequest else { throw RunOutputError.abandoned(directory: directory) }
            var summaryCSV = CSVWriter()
            summaryCSV.writeRecord(ReportSchema.summaryColumns.map(\.name))
            let columns = ["run_id"] + ReportSchema.summaryColumns.map(\.name)
            let insertSummary = try db.prepare(
                "INSERT INTO summary (\(columns.joined(separator: ", "))) VALUES (\(Self.placeholders(columns.count)))")
            for summary in summaries {
                let values = ReportSchema.summaryValues(summary)
                summaryCSV.writeRecord(values: values)
                try insertSummary.run([.integer(runID)] + values)
            }
            insertSummary.finalize()
            insertRequest.finalize()
            self.insertRequest = nil
            for sql in ReportSchema.indexStatements { try db.execute(sql) }
            try db.commit()
            try db.close()
            database = nil

            try requestsFile.write(requestsCSV.takeBytes())
            try summaryFile.write(summaryCSV.takeBytes())
            let files = [requestsFile, summaryFile, databaseFile]
            for file in files { try file.sync() }
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
        } catch {
            abandon()
            throw error
        }
        stage = .finished
    }

    /// Removes the temporary files; nothing is written to the destination. Does nothing after
    /// ``finish(summaries:)``.
    public func abandon() {
        guard stage == .open else { return }
        stage = .abandoned
        insertRequest?.finalize()
        insertRequest = nil
        database?.rollback()
        database = nil  // closes the connection (deinit)
        for file in [requestsFile, summaryFile, databaseFile] { Self.removeTemporary(file) }
    }

    private func checkOpen() throws(RunOutputError) {
        switch stage {
        case .open: return
        case .finished: throw RunOutputError.alreadyFinished(directory: directory)
        case .abandoned: throw RunOutputError.abandoned(directory: directory)
        }
    }

    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// Abandons `file` and removes any side files SQLite may have made next to it.
    private static func removeTemporary(_ file: AtomicFile) {
        file.abandon()
        for suffix in ["-journal", "-wal", "-shm"] { unlink(file.temporaryPath + suffix) }
    }
}
