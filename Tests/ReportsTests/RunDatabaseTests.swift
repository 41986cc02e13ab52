import Foundation
import TangramSim
import Testing

@testable import Reports

/// `--db PATH`: appending runs to one database, reopening and querying it, and refusing other
/// schema versions.
@Suite struct RunDatabaseTests {
    /// Appends one run with `policies` (3 requests and 3 steps each) to `database`, optionally
    /// also writing a folder.
    @discardableResult
    func appendRun(
        name: String, to database: String, directory: String? = nil,
        summaries: [PolicySummary] = Fixtures.policies.map(Fixtures.summary)
    ) throws -> SavedRun {
        var run = Fixtures.run
        run.name = name
        let out = try RunOutput(directory: directory, run: run, database: database)
        for summary in summaries {
            for i in 0..<3 { try out.record(policy: summary.policy, step: Fixtures.step(i)) }
            for i in 0..<3 { try out.record(policy: summary.policy, Fixtures.record(i)) }
        }
        return try out.finish(summaries: summaries)
    }

    @Test func writeReopenAndQuery() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("study.sqlite")
        let saved = try appendRun(name: "first", to: path)
        #expect(saved.appendedRunID == 1)
        #expect(saved.directory == nil)
        // Only the database: the staging file next to it is gone.
        #expect(dir.entries() == ["study.sqlite"])

        let db = try RunDatabase.openForReading(path)
        #expect(try db.query("PRAGMA user_version").first?[0] == .integer(Int64(ReportSchema.version)))
        let run = try #require(try db.query("SELECT name, model, status FROM runs WHERE run_id = 1").first)
        #expect(run.values == [.text("first"), .text("Llama-3.1-8B"), .text("complete")])
        // Per table counts: 2 policies × 3 requests, 3 steps, 1 session; 2 summaries.
        for (table, count) in [("summary", 2), ("requests", 6), ("steps", 6), ("sessions", 2), ("memory", 6)] {
            #expect(
                try db.query("SELECT count(*) FROM \(table) WHERE run_id = 1").first?[0] == .integer(Int64(count)),
                "\(table)")
        }
        // A join an analyst would write: mean TTFT per policy with the run's model.
        let joined = try db.query(
            """
            SELECT r.model, q.policy, avg(q.ttft_s) FROM requests q JOIN runs r USING (run_id)
            GROUP BY q.policy ORDER BY q.policy
            """)
        #expect(joined.count == 2)
        #expect(joined.allSatisfy { $0[2] == .real(0.5) })
        // The memory view: peak allocated per policy is step 2's 3 GiB.
        let peak = try db.query("SELECT max(kv_allocated_bytes) FROM memory WHERE run_id = 1 AND policy = 'vllm'")
        #expect(peak.first?[0] == .integer(3 * 1_073_741_824))
    }

    @Test func twoRunsAppendedToOneDatabaseAreBothReported() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("study.sqlite")
        let first = try appendRun(
            name: "low load", to: path,
            summaries: [
                Fixtures.summary("vllm", requestsPerSecond: 0.5, ttftP50Seconds: 2),
                Fixtures.summary("tangram", requestsPerSecond: 1, ttftP50Seconds: 0.5),
            ])
        let second = try appendRun(
            name: "high load", to: path,
            summaries: [
                Fixtures.summary("vllm", requestsPerSecond: 2, ttftP50Seconds: 1),
                Fixtures.summary("tangram", requestsPerSecond: 3, ttftP50Seconds: 4),
            ])
        #expect(first.appendedRunID == 1)
        #expect(second.appendedRunID == 2)

        let report = try ComparisonReport.load(path: path, baseline: "vllm")
        #expect(report.data.runs.map(\.runID) == [1, 2])
        #expect(report.data.runs.map(\.name) == ["low load", "high load"])
        #expect(report.data.results.map(\.policy) == ["vllm", "tangram", "vllm", "tangram"])
        #expect(report.data.results.map(\.runID) == [1, 1, 2, 2])
        // Requests of each run kept their own run id.
        let db = try RunDatabase.openForReading(path)
        #expect(
            try db.query("SELECT run_id, count(*) FROM requests GROUP BY run_id ORDER BY run_id").map(\.values)
                == [[.integer(1), .integer(6)], [.integer(2), .integer(6)]])

        // Speed-ups against vllm of the same run: throughput 1 / 0.5 = 2 and 3 / 2 = 1.5; TTFT
        // p50 (lower is better) 2 / 0.5 = 4 and 1 / 4 = 0.25.
        let throughput = ComparisonMetric.speedups.first { $0.column == "throughput_req_s" }!
        let ttft = ComparisonMetric.speedups.first { $0.column == "ttft_p50_s" }!
        let tangram = report.data.results.filter { $0.policy == "tangram" }
        #expect(tangram.map { report.speedup(of: $0, throughput) } == [2, 1.5])
        #expect(tangram.map { report.speedup(of: $0, ttft) } == [4, 0.25])
        #expect(report.speedup(of: report.data.results[0], throughput) == 1)

        let text = report.renderText()
        #expect(text.contains("2 runs"))
        #expect(text.contains("low load"))
        #expect(text.contains("high load"))
        #expect(text.contains("Speed-up against vllm"))
        #expect(text.contains("2.00×"))
        #expect(text.contains("1.50×"))
        #expect(text.contains("0.25×"))
        // Labels in charts name the run when there are several.
        #expect(report.data.label(of: tangram[1]) == "tangram · high load")

        // Only some runs.
        let one = try ComparisonReport.load(path: path, runIDs: [2])
        #expect(one.data.results.map(\.runID) == [2, 2])
        #expect(throws: ReportDatabaseError.unknownRuns(path: path, runIDs: [7])) {
            _ = try ComparisonReport.load(path: path, runIDs: [7])
        }
    }

    @Test func folderAndDatabaseTogether() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("study.sqlite")
        try appendRun(name: "a", to: path)
        let saved = try appendRun(name: "b", to: path, directory: dir.file("out"))
        #expect(saved.appendedRunID == 2)
        #expect(saved.fileNames.contains("results.sqlite"))
        // The folder's own database holds just this run, as run 1.
        let folder = try SQLiteDatabase(path: dir.file("out/results.sqlite"), mode: .readOnly)
        #expect(try folder.query("SELECT run_id, name FROM runs").map(\.values) == [[.integer(1), .text("b")]])
        #expect(saved.description.contains("run 2 of \(path)"))
        #expect(dir.entries() == ["out", "study.sqlite"])
    }

    @Test func refusesAnotherSchemaVersionBeforeTheRun() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("old.sqlite")
        do {
            let db = try SQLiteDatabase(path: path)
            try db.execute(
                "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL); PRAGMA user_version = 1")
            try db.close()
        }
        let before = dir.bytes("old.sqlite")
        let expected = ReportDatabaseError.schemaVersion(path: path, found: 1, expected: ReportSchema.version)
        #expect(throws: expected) { _ = try RunOutput(directory: nil, run: Fixtures.run, database: path) }
        #expect(throws: expected) { _ = try RunOutput(directory: dir.file("out"), run: Fixtures.run, database: path) }
        #expect("\(expected)".contains("schema version 1"))
        #expect("\(expected)".contains("older"))
        // Nothing written (not even the folder), no temporary files, the old file unchanged.
        #expect(dir.entries() == ["old.sqlite"])
        #expect(dir.bytes("old.sqlite") == before)
    }

    @Test func refusesANewerSchemaVersionForReading() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("new.sqlite")
        do {
            let db = try SQLiteDatabase(path: path)
            try db.execute("CREATE TABLE meta (key TEXT, value TEXT); PRAGMA user_version = 99")
            try db.close()
        }
        #expect(throws: ReportDatabaseError.schemaVersion(path: path, found: 99, expected: ReportSchema.version)) {
            _ = try ComparisonReport.load(path: path)
        }
    }

    @Test func refusesADatabaseNotWrittenByTangramSim() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("other.sqlite")
        do {
            let db = try SQLiteDatabase(path: path)
            try db.execute("CREATE TABLE people (name TEXT)")
            try db.close()
        }
        #expect(throws: ReportDatabaseError.notAReportDatabase(path: path)) {
            _ = try RunOutput(directory: nil, run: Fixtures.run, database: path)
        }
        #expect(throws: ReportDatabaseError.missing(path: dir.file("absent.sqlite"))) {
            _ = try ComparisonReport.load(path: dir.file("absent.sqlite"))
        }
    }

    @Test func refusesTheFoldersOwnDatabase() throws {
        let dir = TemporaryDirectory()
        let target = dir.file("out/results.sqlite")
        #expect(throws: ReportDatabaseError.sameFile(path: target)) {
            _ = try RunOutput(directory: dir.file("out"), run: Fixtures.run, database: target)
        }
        #expect(throws: RunOutputError.noDestination) { _ = try RunOutput(directory: nil, run: Fixtures.run) }
    }

    /// A database written before a summary column existed gains it when a newer build appends.
    @Test func addsMissingColumnsToAnOlderFileOfTheSameVersion() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("study.sqlite")
        try appendRun(name: "old", to: path)
        do {
            let db = try SQLiteDatabase(path: path)
            try db.execute("ALTER TABLE summary DROP COLUMN output_tokens")
            try db.close()
        }
        try appendRun(name: "new", to: path)
        let db = try RunDatabase.openForReading(path)
        #expect(try ReportSchema.columnNames(of: "summary", in: db).contains("output_tokens"))
        let values = try db.query("SELECT run_id, output_tokens FROM summary WHERE policy = 'vllm' ORDER BY run_id")
        #expect(values.map(\.values) == [[.integer(1), .null], [.integer(2), .integer(15)]])
    }

    /// If the append fails, the folder is not written either and no temporary file is left.
    @Test func failedAppendLeavesNothing() throws {
        let dir = TemporaryDirectory()
        let out = try RunOutput(directory: dir.file("out"), run: Fixtures.run, database: dir.file("db-is-a-folder"))
        try out.record(policy: "vllm", Fixtures.record(0))
        // Something else puts a folder where the database should go while the run is going.
        try FileManager.default.createDirectory(atPath: dir.file("db-is-a-folder"), withIntermediateDirectories: true)
        #expect(throws: (any Error).self) { try out.finish(summaries: [Fixtures.summary("vllm")]) }
        #expect(dir.entries("out") == [])
        #expect(dir.entries() == ["db-is-a-folder", "out"])
    }

    @Test func interruptedRunsAreMarked() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("study.sqlite")
        let out = try RunOutput(directory: dir.file("out"), run: Fixtures.run, database: path)
        // vllm finished; tangram was interrupted after two requests.
        for i in 0..<3 { try out.record(policy: "vllm", Fixtures.record(i)) }
        for i in 0..<2 { try out.record(policy: "tangram", Fixtures.record(i)) }
        let saved = try out.finish(summaries: [Fixtures.summary("vllm")], status: .interrupted)
        #expect(saved.status == .interrupted)
        #expect(saved.summarizedPolicies == ["vllm"])
        #expect(saved.requestCount == 5)
        #expect(saved.description.hasPrefix("interrupted: saved summaries of the 1 policy that finished (vllm)"))
        #expect(saved.description.contains("5 requests"))
        let db = try RunDatabase.openForReading(path)
        #expect(try db.query("SELECT status FROM runs").first?[0] == .text("interrupted"))
        #expect(try db.query("SELECT count(*) FROM requests WHERE policy = 'tangram'").first?[0] == .integer(2))
        #expect(try db.query("SELECT count(*) FROM summary").first?[0] == .integer(1))
        let runs = try CSVReader.read(path: dir.file("out/runs.csv"))
        #expect(runs.last?.last == "interrupted")
    }
}
