import GPUModel
import Workloads

extension PaperReproduction {
    /// The offline batch of one dataset run: ``Grid/conversationsPerTask`` conversations of
    /// `task` under the released performance protocol. The Tangram benchmark runs each dataset
    /// of a bucket as its own `llm.generate` call (`benchmark_scbench.py`, `run_dataset`).
    func throughputSource(_ task: SCBenchTask) -> any SessionSource {
        WorkloadPreset(task: task).source(sessions: grid.conversationsPerTask, seed: seed, protocol: .performance)
    }

    /// The SCBench tasks `model`'s `bucket` runs under ``datasets``.
    public func tasks(in bucket: SCBenchTask.Bucket, for model: ModelSpec) -> [SCBenchTask] {
        datasets.tasks(in: bucket, checkpoint: model.checkpoint, maxModelLenTokens: engine(for: model).maxModelLenTokens,
                       outputTokensPerConversation: SCBenchProtocol.performanceOutputTokens)
    }

    /// Table 1 and its per-dataset rows: request throughput of vllm and the Tangram ablations
    /// (reservation only, + ragged paging, + ahead-of-time balancing) per model, bucket and kept
    /// ratio, normalised to vllm.
    ///
    /// Each dataset of the bucket (``tasks(in:for:)``) is its own run with its own vllm
    /// reference, as in the Tangram benchmark. A bucket's `normalised_to_vllm` is the mean of
    /// its datasets' normalised throughputs; `pooled_normalised_to_vllm` is the ratio of the
    /// datasets run back to back (total requests over total time).
    public func throughputTables() throws -> (ablation: ReproTable, perTask: ReproTable) {
        var t = ReproTable(
            name: "throughput_ablation", title: "Throughput ablation (offline SCBench batches, normalised to vllm)",
            columns: ["model", "tp", "bucket", "kept_ratio", "policy", "tasks", "requests", "throughput_req_s",
                      "normalised_to_vllm", "pooled_normalised_to_vllm", "preemptions", "max_concurrent_sessions"])
        var perTask = ReproTable(
            name: "throughput_per_task", title: "Throughput per SCBench dataset (normalised to vllm on the same dataset)",
            columns: ["model", "tp", "bucket", "task", "context_tokens", "kept_ratio", "policy", "requests",
                      "duration_s", "throughput_req_s", "normalised_to_vllm", "preemptions", "max_concurrent_sessions"])
        for (model, tp) in grid.models {
            for bucket in grid.buckets {
                let tasks = self.tasks(in: bucket, for: model)
                guard !tasks.isEmpty else { continue }
                let bases = try tasks.map {
                    try simulate(model: model, tensorParallel: tp, policy: "vllm", settings: settings(keptRatio: 1),
                                 source: throughputSource($0))
                }
                let baseDuration = bases.reduce(0) { $0 + $1.simulatedDurationSeconds }
                for kept in grid.keptRatios {
                    for name in Self.ablationPolicies {
                        var runs: [PolicySummary] = []
                        var ratios: [Double] = []
                        for (i, task) in tasks.enumerated() {
                            let s = name == "vllm" ? bases[i] : try simulate(
                                model: model, tensorParallel: tp, policy: name, settings: settings(keptRatio: kept),
                                source: throughputSource(task))
                            runs.append(s)
                            // Every policy runs the dataset's same requests, so a throughput ratio
                            // is a duration ratio.
                            let ratio = bases[i].simulatedDurationSeconds > 0 && s.simulatedDurationSeconds > 0
                                ? bases[i].simulatedDurationSeconds / s.simulatedDurationSeconds : .nan
                            ratios.append(ratio)
                            perTask.rows.append([
                                model.name, "\(tp)", bucket.rawValue, task.rawValue, "\(task.contextTokens)",
                                ReproTable.fixed(kept, 2), name, "\(s.completedRequests)",
                                ReproTable.fixed(s.simulatedDurationSeconds, 2),
                                ReproTable.fixed(s.throughputRequestsPerSecond, 4), ReproTable.fixed(ratio, 3),
                                "\(s.preemptions)", "\(s.maxConcurrentSessions)"])
                        }
                        let duration = runs.reduce(0) { $0 + $1.simulatedDurationSeconds }
                        let requests = runs.reduce(0) { $0 + $1.completedRequests }
                        t.rows.append([
                            model.name, "\(tp)", bucket.rawValue, ReproTable.fixed(kept, 2), name,
                            tasks.map(\.rawValue).joined(separator: "+"), "\(requests)",
                            ReproTable.fixed(Double(requests) / duration, 4),
                            ReproTable.fixed(ratios.reduce(0, +) / Double(ratios.count), 3),
                            ReproTable.fixed(baseDuration / duration, 3),
                            "\(runs.reduce(0) { $0 + $1.preemptions })",
                            "\(runs.map(\.maxConcurrentSessions).max() ?? 0)"])
                    }
                }
            }
        }
        return (t, perTask)
    }

    /// Table 5: `tangram` throughput on the Mid bucket (Llama-3.1-8B, kept 25 %) as H_p varies,
    /// normalised to vllm: each dataset its own run, as in table 1; the mean of the datasets'
    /// normalised throughputs, their largest fragmentation and mean block-table entries per step.
    public func throughputVersusHeadsPerGroup() throws -> ReproTable {
        var t = ReproTable(
            name: "throughput_vs_hp", title: "Throughput vs H_p (llama-3.1-8b, SCBench Mid, kept 0.25, tangram)",
            columns: ["heads_per_group", "throughput_req_s", "normalised_to_vllm", "fragmentation",
                      "block_table_entries_per_step"])
        let model = ModelCatalog.llama3_1_8b
        let tasks = self.tasks(in: .mid, for: model)
        guard !tasks.isEmpty else { return t }
        let bases = try tasks.map {
            try simulate(model: model, tensorParallel: 1, policy: "vllm", settings: settings(keptRatio: 1),
                         source: throughputSource($0))
        }
        for hp in grid.headsPerGroup {
            let runs = try tasks.map {
                try simulate(model: model, tensorParallel: 1, policy: "tangram",
                             settings: settings(keptRatio: 0.25, headsPerGroup: hp), source: throughputSource($0))
            }
            let n = Double(runs.count)
            let ratio = zip(bases, runs).map { $0.simulatedDurationSeconds / $1.simulatedDurationSeconds }.reduce(0, +) / n
            let requests = runs.reduce(0) { $0 + $1.completedRequests }
            let duration = runs.reduce(0) { $0 + $1.simulatedDurationSeconds }
            t.rows.append(["\(hp)", ReproTable.fixed(Double(requests) / duration, 4), ReproTable.fixed(ratio, 3),
                           ReproTable.fixed(runs.map(\.fragmentationFraction).max() ?? 0, 4),
                           ReproTable.fixed(runs.reduce(0) { $0 + $1.blockTableEntriesPerStep } / n, 2)])
        }
        return t
    }

    /// Table 6: mean TTFT of vllm and `tangram` (kept 25 %, i.e. 75 % evicted) against the
    /// request rate, for single-query requests over a shared context of 20-40K tokens (mean
    /// 30K) arriving as a Poisson process.
    public func ttftVersusRate() throws -> ReproTable {
        var t = ReproTable(
            name: "ttft_vs_rate", title: "Mean TTFT vs request rate (llama-3.1-8b, ~30K context, 75% evicted)",
            columns: ["rate_req_s", "policy", "mean_ttft_s", "p90_ttft_s", "throughput_req_s"])
        for rate in grid.requestRates {
            for name in ["vllm", "tangram"] {
                let config = Self.ttftConfig(requests: grid.ttftRequests, rate: rate, seed: seed)
                let s = try simulate(model: ModelCatalog.llama3_1_8b, tensorParallel: 1, policy: name,
                                     settings: settings(keptRatio: 0.25), source: SyntheticChatGenerator(config: config))
                t.rows.append([ReproTable.fixed(rate, 3), name, ReproTable.fixed(s.ttft.mean, 3),
                               ReproTable.fixed(s.ttft.p90, 3), ReproTable.fixed(s.throughputRequestsPerSecond, 4)])
            }
        }
        return t
    }

    /// The TTFT workload: `requests` one-turn sessions at Poisson `rate`, each a shared context
    /// uniform on 20,000-40,000 tokens (mean 30K, DOMAIN.md section 6), a 64-token query
    /// (``SCBenchTask/queryTokens``) and 96 output tokens (SCBench's default output length).
    static func ttftConfig(requests: Int, rate: Double, seed: UInt64) -> SyntheticChatConfig {
        SyntheticChatConfig(
            sessionCount: requests, arrival: .poisson(ratePerSecond: rate), turnsPerSession: .constant(1),
            thinkTimeSeconds: .constant(0), firstInputTokens: .constant(Double(SCBenchTask.queryTokens)),
            followUpInputTokens: .constant(Double(SCBenchTask.queryTokens)), outputTokens: .constant(96),
            contextTokens: Distribution(.uniform(min: 20_000, max: 40_000)),
            maxContextTokens: 40_000 + SCBenchTask.queryTokens + 96, seed: seed)
    }
}
