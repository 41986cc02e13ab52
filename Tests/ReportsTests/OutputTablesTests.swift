import Foundation
import GPUModel
import TangramSim
import Testing

@testable import Reports

/// Every table of the schema has a CSV mirror with the same columns and rows, and every CSV file
/// reads back to the values that were recorded.
@Suite struct OutputTablesTests {
    /// Rows of a CSV file after the header, keyed by column name.
    func records(_ dir: TemporaryDirectory, _ name: String) throws -> (header: [String], rows: [[String: String]]) {
        let parsed = try CSVReader.read(path: dir.file(name))
        let header = try #require(parsed.first)
        let rows = parsed.dropFirst().map { fields in
            Dictionary(uniqueKeysWithValues: zip(header, fields).map { ($0, $1) })
        }
        return (header, rows)
    }

    @Test func everyTableHasACSVMirrorWithTheSameColumnsAndRows() throws {
        let dir = TemporaryDirectory()
        try Fixtures.writeStandardRun(to: dir.path)
        let db = try SQLiteDatabase(path: dir.file("results.sqlite"), mode: .readOnly)
        let expectedTables = ["runs", "summary", "requests", "sessions", "steps", "memory"]
        #expect(ReportSchema.tables.map(\.name) == expectedTables)
        for table in ReportSchema.tables {
            let csv = try CSVReader.read(path: dir.file(table.csvFileName))
            let sqlColumns = try ReportSchema.columnNames(of: table.name, in: db)
            // Same names, same order; the CSV leaves out run_id (one run per folder).
            #expect(sqlColumns.first == "run_id", "\(table.name)")
            #expect(csv.first.map { ["run_id"] + $0 } == sqlColumns, "\(table.name)")
            let names = table.columns.map(\.name).joined(separator: ", ")
            let order = table.name == "memory" ? "" : " ORDER BY rowid"
            let rows = try db.query("SELECT \(names) FROM \(table.name) WHERE run_id = 1\(order)")
            let sqlText = rows.map { $0.values.map(\.csvText) }
            if table.name == "memory" {
                // A view has no row order of its own: compare as multisets.
                #expect(
                    Array(csv.dropFirst()).sorted { $0.lexicographicallyPrecedes($1) }
                        == sqlText.sorted { $0.lexicographicallyPrecedes($1) })
            } else {
                #expect(Array(csv.dropFirst()) == sqlText, "\(table.name)")
            }
        }
    }

    @Test func requestsRoundTrip() throws {
        let dir = TemporaryDirectory()
        try Fixtures.writeStandardRun(to: dir.path)
        let (_, rows) = try records(dir, "requests.csv")
        #expect(rows.count == 6)
        for (index, row) in rows.enumerated() {
            let back = RequestRecord(
                requestID: Int(row["request_id"]!)!, sessionID: Int(row["session_id"]!)!, turn: Int(row["turn"]!)!,
                arrivalSeconds: Double(row["arrival_s"]!)!, firstTokenSeconds: Double(row["first_token_s"]!)!,
                finishSeconds: Double(row["finish_s"]!)!, promptTokens: Int(row["prompt_tokens"]!)!,
                cachedTokens: Int(row["cached_tokens"]!)!, outputTokens: Int(row["output_tokens"]!)!,
                preemptions: Int(row["preemptions"]!)!)
            #expect(back == Fixtures.record(index % 3))
            #expect(row["policy"] == Fixtures.policies[index / 3])
        }
    }

    @Test func stepsRoundTrip() throws {
        let dir = TemporaryDirectory()
        try Fixtures.writeStandardRun(to: dir.path)
        let (header, rows) = try records(dir, "steps.csv")
        #expect(
            header == [
                "policy", "step_index", "time_s", "running_requests", "waiting_requests", "prefill_tokens",
                "prefill_sequences", "decode_sequences", "step_s", "gemm_s", "prefill_attention_s",
                "decode_attention_s", "norm_activation_s", "sampling_s", "communication_s", "compression_s",
                "reclaim_s", "block_table_s", "planning_s", "overhead_s", "decode_attention_ideal_s",
                "kv_capacity_bytes", "kv_allocated_bytes", "kv_used_bytes", "kv_trapped_bytes", "kv_reserved_bytes",
                "preemptions_so_far",
            ])
        #expect(rows.count == 6)
        for (index, row) in rows.enumerated() {
            var cost = StepCost()
            cost.gemmSeconds = Double(row["gemm_s"]!)!
            cost.prefillAttentionSeconds = Double(row["prefill_attention_s"]!)!
            cost.decodeAttentionSeconds = Double(row["decode_attention_s"]!)!
            cost.communicationSeconds = Double(row["communication_s"]!)!
            cost.overheadSeconds = Double(row["overhead_s"]!)!
            cost.normActivationSeconds = Double(row["norm_activation_s"]!)!
            cost.samplingSeconds = Double(row["sampling_s"]!)!
            cost.compressionSeconds = Double(row["compression_s"]!)!
            cost.reclaimSeconds = Double(row["reclaim_s"]!)!
            cost.blockTableSeconds = Double(row["block_table_s"]!)!
            cost.planningSeconds = Double(row["planning_s"]!)!
            cost.decodeAttentionIdealSeconds = Double(row["decode_attention_ideal_s"]!)!
            let back = StepSample(
                timeSeconds: Double(row["time_s"]!)!, stepIndex: Int(row["step_index"]!)!,
                runningRequests: Int(row["running_requests"]!)!, waitingRequests: Int(row["waiting_requests"]!)!,
                prefillTokens: Int(row["prefill_tokens"]!)!, prefillSequences: Int(row["prefill_sequences"]!)!,
                decodeSequences: Int(row["decode_sequences"]!)!, cost: cost,
                kvCapacityBytes: Double(row["kv_capacity_bytes"]!)!,
                kvAllocatedBytes: Double(row["kv_allocated_bytes"]!)!,
                kvUsedBytes: Double(row["kv_used_bytes"]!)!, kvTrappedBytes: Double(row["kv_trapped_bytes"]!)!,
                kvReservedBytes: Double(row["kv_reserved_bytes"]!)!, preemptionsSoFar: Int(row["preemptions_so_far"]!)!)
            #expect(back == Fixtures.step(index % 3))
            // 0.25 + 0.125 + 0.0625 + 0 + 0.03125, all exact in binary.
            #expect(row["step_s"] == "0.46875")
        }
        // Byte counts are whole numbers and written as integers: step 2 allocates 3 GiB.
        #expect(rows[2]["kv_allocated_bytes"] == "3221225472")
        #expect(rows[2]["kv_trapped_bytes"] == "536870912")
    }

    @Test func memoryIsTheKVColumnsOfSteps() throws {
        let dir = TemporaryDirectory()
        try Fixtures.writeStandardRun(to: dir.path)
        let (memoryHeader, memory) = try records(dir, "memory.csv")
        let (_, steps) = try records(dir, "steps.csv")
        #expect(
            memoryHeader == [
                "policy", "step_index", "time_s", "kv_capacity_bytes", "kv_allocated_bytes", "kv_used_bytes",
                "kv_trapped_bytes", "kv_reserved_bytes",
            ])
        #expect(memory.count == steps.count)
        for (m, s) in zip(memory, steps) {
            for name in memoryHeader { #expect(m[name] == s[name], "\(name)") }
        }
    }

    @Test func summaryRoundTrip() throws {
        let dir = TemporaryDirectory()
        try Fixtures.writeStandardRun(to: dir.path)
        let (_, rows) = try records(dir, "summary.csv")
        #expect(rows.count == 2)
        for (index, row) in rows.enumerated() {
            var back = PolicySummary(policy: row["policy"]!)
            back.completedRequests = Int(row["completed_requests"]!)!
            back.completedSessions = Int(row["completed_sessions"]!)!
            back.simulatedDurationSeconds = Double(row["simulated_duration_s"]!)!
            back.throughputRequestsPerSecond = Double(row["throughput_req_s"]!)!
            back.throughputOutputTokensPerSecond = Double(row["throughput_output_tok_s"]!)!
            func latency(_ m: String) -> LatencySummary {
                LatencySummary(
                    mean: Double(row["\(m)_mean_s"]!)!, p50: Double(row["\(m)_p50_s"]!)!,
                    p90: Double(row["\(m)_p90_s"]!)!, p99: Double(row["\(m)_p99_s"]!)!)
            }
            back.ttft = latency("ttft")
            back.tpot = latency("tpot")
            back.e2e = latency("e2e")
            back.preemptions = Int(row["preemptions"]!)!
            back.kvCapacityBytes = Double(row["kv_capacity_bytes"]!)!
            back.kvPeakAllocatedBytes = Double(row["kv_peak_allocated_bytes"]!)!
            back.kvPeakUsedBytes = Double(row["kv_peak_used_bytes"]!)!
            back.cachedPromptTokens = Int(row["cached_prompt_tokens"]!)!
            back.promptTokens = Int(row["prompt_tokens"]!)!
            back.simIterations = Int(row["sim_iterations"]!)!
            back.costModel = row["cost_model"]!
            back.rejectedRequests = Int(row["rejected_requests"]!)!
            back.outputTokens = Int(row["output_tokens"]!)!
            var expected = Fixtures.summary(Fixtures.policies[index])
            expected.simWallSeconds = 0  // wall-clock time is not written
            #expect(back == expected)
        }
    }

    @Test func runsRoundTrip() throws {
        let dir = TemporaryDirectory()
        try Fixtures.writeStandardRun(to: dir.path)
        let (header, rows) = try records(dir, "runs.csv")
        #expect(
            header == [
                "name", "model", "gpu", "workload", "seed", "tool_version", "calibration_id", "configuration_json",
                "status",
            ])
        let row = try #require(rows.first)
        #expect(rows.count == 1)
        let back = RunMetadata(
            name: row["name"]!, model: row["model"]!, gpu: row["gpu"]!, workload: row["workload"]!,
            seed: Int(row["seed"]!), toolVersion: row["tool_version"]!,
            calibrationID: row["calibration_id"]!.isEmpty ? nil : row["calibration_id"],
            configurationJSON: row["configuration_json"]!)
        #expect(back == Fixtures.run)
        #expect(row["status"] == "complete")
    }

    /// Sessions are derived from the requests: worked out by hand from Fixtures.record(0…2),
    /// which are the three turns of session 0.
    @Test func sessionsAreDerivedFromRequests() throws {
        let dir = TemporaryDirectory()
        try Fixtures.writeStandardRun(to: dir.path)
        let (header, rows) = try records(dir, "sessions.csv")
        #expect(
            header == [
                "policy", "session_id", "turns", "first_arrival_s", "last_finish_s", "duration_s", "prompt_tokens",
                "cached_tokens", "output_tokens", "final_context_tokens", "preemptions", "ttft_mean_s", "e2e_mean_s",
            ])
        #expect(rows.count == 2)  // one session per policy
        for (index, row) in rows.enumerated() {
            #expect(row["policy"] == Fixtures.policies[index])
            #expect(row["session_id"] == "0")
            #expect(row["turns"] == "3")
            #expect(row["first_arrival_s"] == "0.0")  // request 0 arrives at 0 s
            #expect(row["last_finish_s"] == "4.5")  // request 2 finishes at 2 + 2.5 s
            #expect(row["duration_s"] == "4.5")
            #expect(row["prompt_tokens"] == "303")  // 100 + 101 + 102
            #expect(row["cached_tokens"] == "192")  // 3 × 64
            #expect(row["output_tokens"] == "15")  // 3 × 5
            #expect(row["final_context_tokens"] == "107")  // 102 + 5
            #expect(row["preemptions"] == "1")  // 0 + 1 + 0
            #expect(row["ttft_mean_s"] == "0.5")
            #expect(row["e2e_mean_s"] == "2.5")
        }
    }

    @Test func newSummaryColumnsAppearInJSONToo() throws {
        let text = JSONReport(run: Fixtures.run, summaries: [Fixtures.summary("vllm")]).render()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let policy = try #require((json["policies"] as? [[String: Any]])?.first)
        #expect((policy["rejected_requests"] as? NSNumber)?.intValue == 2)
        #expect((policy["output_tokens"] as? NSNumber)?.intValue == 15)
        // Latency columns stay nested, not repeated flat.
        #expect(policy["ttft_p50_s"] == nil)
        // Every summary column is in the JSON, flat or nested.
        for column in ReportSchema.summaryColumns.map(\.name) {
            let nested = ["ttft", "tpot", "e2e"].contains { column.hasPrefix($0 + "_") && column.hasSuffix("_s") }
            #expect(nested || policy[column] != nil, "\(column)")
        }
    }
}
