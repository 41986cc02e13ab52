import GPUModel
import Workloads

extension PaperReproduction {
    /// The preset of an SCBench bucket.
    static func preset(_ bucket: SCBenchTask.Bucket) -> WorkloadPreset {
        switch bucket {
        case .short: return .scbenchShort
        case .mid: return .scbenchMid
        case .long: return .scbenchLong
        }
    }

    /// The offline batch of a throughput run: ``Grid/conversationsPerTask`` conversations of
    /// every task of the preset, under the released performance protocol.
    func throughputSource(_ preset: WorkloadPreset) -> any SessionSource {
        preset.source(sessions: grid.conversationsPerTask * preset.tasks.count, seed: seed, protocol: .performance)
    }

    /// Table 1: request throughput of vllm and the Tangram ablations (reservation only,
    /// + ragged paging, + ahead-of-time balancing) per model, bucket and kept ratio, normalised
    /// to vllm on the same workload.
    public func throughputAblation() throws -> ReproTable {
        var t = ReproTable(
            name: "throughput_ablation", title: "Throughput ablation (offline SCBench batches, normalised to vllm)",
            columns: ["model", "tp", "bucket", "kept_ratio", "policy", "requests", "throughput_req_s",
                      "normalised_to_vllm", "preemptions", "max_concurrent_sessions"])
        for (model, tp) in grid.models {
            for bucket in grid.buckets {
                let preset = Self.preset(bucket)
                let base = try simulate(model: model, tensorParallel: tp, policy: "vllm", settings: settings(keptRatio: 1),
                                        source: throughputSource(preset))
                for kept in grid.keptRatios {
                    for name in Self.ablationPolicies {
                        let s = name == "vllm" ? base : try simulate(
                            model: model, tensorParallel: tp, policy: name, settings: settings(keptRatio: kept),
                            source: throughputSource(preset))
                        let ratio = base.throughputRequestsPerSecond > 0
                            ? s.throughputRequestsPerSecond / base.throughputRequestsPerSecond : .nan
                        t.rows.append([model.name, "\(tp)", bucket.rawValue, ReproTable.fixed(kept, 2), name,
                                       "\(s.completedRequests)", ReproTable.fixed(s.throughputRequestsPerSecond, 4),
                                       ReproTable.fixed(ratio, 3), "\(s.preemptions)", "\(s.maxConcurrentSessions)"])
                    }
                }
            }
        }
        return t
    }

    /// Table 5: `tangram` throughput on the Mid bucket (Llama-3.1-8B, kept 25 %) as H_p varies,
    /// normalised to vllm.
    public func throughputVersusHeadsPerGroup() throws -> ReproTable {
        var t = ReproTable(
            name: "throughput_vs_hp", title: "Throughput vs H_p (llama-3.1-8b, SCBench Mid, kept 0.25, tangram)",
            columns: ["heads_per_group", "throughput_req_s", "normalised_to_vllm", "fragmentation",
                      "block_table_entries_per_step"])
        let model = ModelCatalog.llama3_1_8b
        let preset = WorkloadPreset.scbenchMid
        let base = try simulate(model: model, tensorParallel: 1, policy: "vllm", settings: settings(keptRatio: 1),
                                source: throughputSource(preset))
        for hp in grid.headsPerGroup {
            let s = try simulate(model: model, tensorParallel: 1, policy: "tangram",
                                 settings: settings(keptRatio: 0.25, headsPerGroup: hp),
                                 source: throughputSource(preset))
            t.rows.append(["\(hp)", ReproTable.fixed(s.throughputRequestsPerSecond, 4),
                           ReproTable.fixed(s.throughputRequestsPerSecond / base.throughputRequestsPerSecond, 3),
                           ReproTable.fixed(s.fragmentationFraction, 4), ReproTable.fixed(s.blockTableEntriesPerStep, 2)])
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
