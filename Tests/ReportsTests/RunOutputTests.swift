import Foundation
import TangramSim
import Testing

@testable import Reports

@Suite struct RunOutputTests {
    /// Column lists as specified in issue 2 / the task brief, written out by hand.
    static let expectedSummaryHeader = [
        "policy", "completed_requests", "completed_sessions", "simulated_duration_s", "throughput_req_s",
        "throughput_output_tok_s", "ttft_mean_s", "ttft_p50_s", "ttft_p90_s", "ttft_p99_s", "tpot_mean_s",
        "tpot_p50_s", "tpot_p90_s", "tpot_p99_s", "e2e_mean_s", "e2e_p50_s", "e2e_p90_s", "e2e_p99_s",
        "preemptions", "kv_capacity_bytes", "kv_peak_allocated_bytes", "kv_peak_used_bytes",
        "cached_prompt_tokens", "prompt_tokens", "sim_iterations", "cost_model", "rejected_requests", "output_tokens",
        "kv_peak_trapped_bytes", "kv_mean_allocated_bytes", "kv_mean_used_bytes", "kv_mean_trapped_bytes",
        "fragmentation_fraction", "reclaimed_bytes", "reclaim_copied_bytes", "block_table_entries_per_step",
        "max_concurrent_sessions", "admission_stalls", "resident_evictions",
    ]
    static let expectedRequestHeader = [
        "policy", "request_id", "session_id", "turn", "arrival_s", "first_token_s", "finish_s", "prompt_tokens",
        "cached_tokens", "output_tokens", "preemptions", "ttft_s", "tpot_s", "e2e_s",
    ]

    /// One CSV file per table or view of the schema, plus the database.
    static let allFiles = [
        "memory.csv", "requests.csv", "results.sqlite", "runs.csv", "sessions.csv", "steps.csv", "summary.csv",
    ]

    @Test func writesExactlyTheOutputFiles() throws {
        let dir = TemporaryDirectory()
        try Fixtures.writeStandardRun(to: dir.path)
        // No temporary or SQLite side files are left.
        #expect(dir.entries() == Self.allFiles)
    }

    @Test func summaryCSVHasOneRowPerPolicy() throws {
        let dir = TemporaryDirectory()
        try Fixtures.writeStandardRun(to: dir.path)
        let rows = try CSVReader.read(path: dir.file("summary.csv"))
        #expect(rows.first == Self.expectedSummaryHeader)
        #expect(rows.count == 1 + Fixtures.policies.count)
        let expected = [
            "vllm", "3", "1", "10.0", "0.3", "1.5", "0.5", "0.5", "0.75", "1.0", "0.0125", "0.0125", "0.025", "0.05",
            "2.5", "2.5", "3.0", "4.0", "1", "42949672960", "1073741824", "536870912", "192", "303", "50",
            "roofline-placeholder", "2", "15", "0", "0.0", "0.0", "0.0", "0.0", "0.0", "0.0", "0.0", "0", "0", "0",
        ]
        #expect(rows[1] == expected)
        #expect(rows[2].first == "tangram, \"v2\"")
        // The policy name with a comma and quotes is quoted in the file.
        #expect(dir.text("summary.csv").contains("\n\"tangram, \"\"v2\"\"\","))
        // sim_wall_s (1.234) is wall-clock time and must not be in the file.
        #expect(!dir.text("summary.csv").contains("1.234"))
        #expect(!rows[0].contains("sim_wall_s"))
    }

    @Test func requestsCSVHasOneRowPerRecord() throws {
        let dir = TemporaryDirectory()
        try Fixtures.writeStandardRun(to: dir.path)
        let rows = try CSVReader.read(path: dir.file("requests.csv"))
        #expect(rows.first == Self.expectedRequestHeader)
        #expect(rows.count == 1 + 3 * Fixtures.policies.count)
        // Record 2: session 0, turn 2, arrival 2, first token 2.5, finish 4.5, prompt 102, preempted 0 times.
        #expect(rows[3] == ["vllm", "2", "0", "2", "2.0", "2.5", "4.5", "102", "64", "5", "0", "0.5", "0.5", "2.5"])
        #expect(rows[4][0] == "tangram, \"v2\"")
        #expect(dir.text("requests.csv").hasSuffix("\n"))
    }

    @Test func databaseHoldsTheSameTables() throws {
        let dir = TemporaryDirectory()
        try Fixtures.writeStandardRun(to: dir.path)
        let db = try SQLiteDatabase(path: dir.file("results.sqlite"), mode: .readOnly)
        #expect(try db.query("PRAGMA user_version").first?[0] == .integer(2))
        #expect(try db.query("SELECT value FROM meta WHERE key = 'schema_version'").first?[0] == .text("2"))

        let runs = try db.query("SELECT * FROM runs")
        #expect(runs.count == 1)
        #expect(runs[0]["run_id"] == .integer(1))
        #expect(runs[0]["model"] == .text("Llama-3.1-8B"))
        #expect(runs[0]["gpu"] == .text("H200"))
        #expect(runs[0]["workload"] == .text("unit \"fixture\", v1"))
        #expect(runs[0]["seed"] == .integer(7))
        #expect(runs[0]["tool_version"] == .text("0.0-test"))
        #expect(runs[0]["calibration_id"] == .null)
        #expect(runs[0]["configuration_json"] == .text("{\"tp\":1}"))
        #expect(runs[0]["status"] == .text("complete"))

        let summary = try db.query("SELECT * FROM summary ORDER BY rowid")
        #expect(summary.map { $0["policy"] } == Fixtures.policies.map { .text($0) })
        #expect(summary[0].columnNames == ["run_id"] + Self.expectedSummaryHeader)
        #expect(summary[0]["kv_capacity_bytes"] == .integer(42_949_672_960))
        #expect(summary[0]["ttft_p90_s"] == .real(0.75))

        let requests = try db.query("SELECT * FROM requests ORDER BY rowid")
        #expect(requests.count == 6)
        #expect(requests[0].columnNames == ["run_id"] + Self.expectedRequestHeader)
        let r2 = try db.query(
            "SELECT ttft_s, tpot_s, e2e_s, prompt_tokens FROM requests WHERE policy = ? AND request_id = 2",
            [.text("vllm")])
        #expect(r2.first?.values == [.real(0.5), .real(0.5), .real(2.5), .integer(102)])
        let perPolicy = try db.query("SELECT policy, count(*) FROM requests GROUP BY policy ORDER BY policy")
        #expect(perPolicy.map { $0[1] } == [.integer(3), .integer(3)])
    }

    @Test func sameInputsGiveIdenticalFiles() throws {
        let a = TemporaryDirectory("a")
        let b = TemporaryDirectory("b")
        try Fixtures.writeStandardRun(to: a.path)
        try Fixtures.writeStandardRun(to: b.path)
        for name in Self.allFiles {
            #expect(!a.bytes(name).isEmpty)
            #expect(a.bytes(name) == b.bytes(name), "\(name) differs")
        }
    }

    @Test func abandonLeavesTheFolderAsItWas() throws {
        let dir = TemporaryDirectory()
        try AtomicFile.write("old\n", to: dir.file("summary.csv"))
        let out = try RunOutput(directory: dir.path, run: Fixtures.run)
        try out.record(policy: "vllm", Fixtures.record(0))
        out.abandon()
        #expect(dir.entries() == ["summary.csv"])
        #expect(dir.text("summary.csv") == "old\n")
        #expect(throws: RunOutputError.abandoned(directory: dir.path)) {
            try out.record(policy: "vllm", Fixtures.record(1))
        }
        #expect(throws: RunOutputError.abandoned(directory: dir.path)) {
            try out.finish(summaries: [])
        }
    }

    @Test func droppingWithoutFinishLeavesNothing() throws {
        let dir = TemporaryDirectory()
        do {
            let out = try RunOutput(directory: dir.path, run: Fixtures.run)
            try out.record(policy: "vllm", Fixtures.record(0))
        }
        #expect(dir.entries() == [])
    }

    @Test func finishTwiceIsAnError() throws {
        let dir = TemporaryDirectory()
        let out = try RunOutput(directory: dir.path, run: Fixtures.run)
        try out.finish(summaries: [Fixtures.summary("vllm")])
        #expect(throws: RunOutputError.alreadyFinished(directory: dir.path)) {
            try out.finish(summaries: [])
        }
        #expect(dir.entries() == Self.allFiles)
    }

    @Test func createsTheFolder() throws {
        let dir = TemporaryDirectory()
        try Fixtures.writeStandardRun(to: dir.file("nested/out"))
        #expect(dir.entries("nested/out") == Self.allFiles)
    }

    @Test func failingToCreateLeavesNothing() throws {
        let dir = TemporaryDirectory()
        try AtomicFile.write("a file, not a folder", to: dir.file("blocker"))
        #expect(throws: FileError.self) { _ = try RunOutput(directory: dir.file("blocker"), run: Fixtures.run) }
        #expect(dir.entries() == ["blocker"])
    }

    /// Requests are flushed in chunks while recording (the CSV is not held in memory), and more
    /// rows than one SQLite batch (8192) all arrive.
    @Test func streamsManyRequests() throws {
        let dir = TemporaryDirectory()
        let count = 10_000
        let out = try RunOutput(directory: dir.path, run: Fixtures.run)
        for i in 0..<2000 { try out.record(policy: "vllm", Fixtures.record(i)) }
        // Each row is at least 40 bytes, so 2000 rows pass the 64 KiB flush threshold.
        let temporary = try #require(dir.entries().first { $0.hasPrefix(".requests.csv.tmp-") })
        let size = try FileManager.default.attributesOfItem(atPath: dir.file(temporary))[.size] as? NSNumber
        #expect((size?.intValue ?? 0) >= 65_536)
        #expect(!dir.entries().contains("requests.csv"))
        for i in 2000..<count { try out.record(policy: "vllm", Fixtures.record(i)) }
        #expect(out.recordedRequestCount == count)
        try out.finish(summaries: [Fixtures.summary("vllm")])

        let rows = try CSVReader.read(path: dir.file("requests.csv"))
        #expect(rows.count == count + 1)
        #expect(rows.last?[1] == String(count - 1))
        let db = try SQLiteDatabase(path: dir.file("results.sqlite"), mode: .readOnly)
        #expect(
            try db.query("SELECT count(*), max(request_id) FROM requests").first?.values
                == [.integer(Int64(count)), .integer(Int64(count - 1))])
        #expect(dir.entries() == Self.allFiles)
    }
}
