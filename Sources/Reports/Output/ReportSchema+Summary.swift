import TangramSim

extension ReportSchema {
    /// Fields of `summary.csv` and the `summary` table (the table adds `run_id` first), one per
    /// column, each with the ``PolicySummary`` value it holds.
    ///
    /// To report a new ``PolicySummary`` field, append one ``ReportField`` here: the CSV file, the
    /// SQLite table (existing databases gain the column when next appended to), the JSON report
    /// and `tangram-sim report` pick it up. Byte counts use `.wholeOrReal` so that whole numbers
    /// are written as integers.
    public static let summaryFields: [ReportField<PolicySummary>] = {
        var fields: [ReportField<PolicySummary>] = [
            ReportField("policy", .text, "policy name") { .text($0.policy) },
            ReportField("completed_requests", .integer, "requests finished") { .int($0.completedRequests) },
            ReportField("completed_sessions", .integer, "sessions whose last turn finished") {
                .int($0.completedSessions)
            },
            ReportField("simulated_duration_s", .real, "simulated seconds from start to the last completion") {
                .real($0.simulatedDurationSeconds)
            },
            ReportField("throughput_req_s", .real, "completed requests per simulated second") {
                .real($0.throughputRequestsPerSecond)
            },
            ReportField("throughput_output_tok_s", .real, "output tokens per simulated second") {
                .real($0.throughputOutputTokensPerSecond)
            },
        ]
        let metrics: [(String, String, @Sendable (PolicySummary) -> LatencySummary)] = [
            ("ttft", "time to first token", { $0.ttft }),
            ("tpot", "time per output token after the first", { $0.tpot }),
            ("e2e", "end-to-end latency", { $0.e2e }),
        ]
        for (metric, meaning, latency) in metrics {
            let stats: [(String, @Sendable (LatencySummary) -> Double)] = [
                ("mean", { $0.mean }), ("p50", { $0.p50 }), ("p90", { $0.p90 }), ("p99", { $0.p99 }),
            ]
            for (stat, pick) in stats {
                fields.append(
                    ReportField("\(metric)_\(stat)_s", .real, "\(stat) of \(meaning), seconds") {
                        .real(pick(latency($0)))
                    })
            }
        }
        fields += [
            ReportField("preemptions", .integer, "preemptions (recompute) over the run") { .int($0.preemptions) },
            ReportField("kv_capacity_bytes", .integer, "KV cache capacity of the replica") {
                .wholeOrReal($0.kvCapacityBytes)
            },
            ReportField("kv_peak_allocated_bytes", .integer, "most KV bytes in allocated blocks at once") {
                .wholeOrReal($0.kvPeakAllocatedBytes)
            },
            ReportField("kv_peak_used_bytes", .integer, "most KV bytes holding real tokens at once") {
                .wholeOrReal($0.kvPeakUsedBytes)
            },
            ReportField("cached_prompt_tokens", .integer, "prompt tokens served from the prefix cache") {
                .int($0.cachedPromptTokens)
            },
            ReportField("prompt_tokens", .integer, "prompt tokens over the run") { .int($0.promptTokens) },
            ReportField("sim_iterations", .integer, "engine steps simulated") { .int($0.simIterations) },
            ReportField("cost_model", .text, "label of the cost model") { .text($0.costModel) },
            // Schema version 2 additions (appended: version-1 columns keep their positions).
            ReportField("rejected_requests", .integer, "requests refused because they could never fit in the KV cache")
            {
                .int($0.rejectedRequests)
            },
            ReportField("output_tokens", .integer, "output tokens generated over the run") { .int($0.outputTokens) },
            // Head-wise KV memory metrics.
            ReportField("kv_peak_trapped_bytes", .integer, "most KV bytes allocated but holding no token at once") {
                .wholeOrReal($0.kvPeakTrappedBytes)
            },
            ReportField("kv_mean_allocated_bytes", .real, "time-averaged KV bytes in allocated pages") {
                .real($0.kvMeanAllocatedBytes)
            },
            ReportField("kv_mean_used_bytes", .real, "time-averaged KV bytes holding tokens") {
                .real($0.kvMeanUsedBytes)
            },
            ReportField("kv_mean_trapped_bytes", .real, "time-averaged KV bytes allocated but holding no token") {
                .real($0.kvMeanTrappedBytes)
            },
            ReportField("fragmentation_fraction", .real, "time-averaged trapped bytes over time-averaged allocated bytes") {
                .real($0.fragmentationFraction)
            },
            ReportField("reclaimed_bytes", .real, "KV bytes freed by compress-and-reclaim") { .real($0.reclaimedBytes) },
            ReportField("reclaim_copied_bytes", .real, "KV bytes copied by reclamation compaction") {
                .real($0.reclaimCopiedBytes)
            },
            ReportField("block_table_entries_per_step", .real, "block-table entries the host wrote per step") {
                .real($0.blockTableEntriesPerStep)
            },
            ReportField("max_concurrent_sessions", .integer, "most conversations holding KV at once") {
                .int($0.maxConcurrentSessions)
            },
            ReportField("admission_stalls", .integer, "steps whose queue head waited for memory") {
                .int($0.admissionStalls)
            },
            ReportField("resident_evictions", .integer, "idle resident conversations evicted to make room") {
                .int($0.residentEvictions)
            },
        ]
        return fields
    }()

    /// Columns of `summary.csv` and the `summary` table (the table adds `run_id` first).
    public static var summaryColumns: [ReportColumn] { summaryFields.map(\.column) }

    /// The summary row of one policy, in ``summaryColumns`` order. Byte counts that are whole
    /// numbers are written as integers.
    ///
    /// - Parameter summary: One policy's results.
    /// - Returns: One value per summary column.
    public static func summaryValues(_ summary: PolicySummary) -> [SQLiteValue] {
        summaryFields.map { $0.value(summary) }
    }
}
